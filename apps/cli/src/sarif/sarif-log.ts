import { CliError } from '../cli-error';

// The parts of a SARIF 2.1.0 log (https://docs.oasis-open.org/sarif/sarif/v2.1.0/) the scan
// summary reads. Everything else in the file is left alone; only its digest is recorded.

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export const SARIF_LEVELS: readonly SarifLevel[] = ['error', 'warning', 'note', 'none'];

/** One result, reduced to what decides its severity and whether it counts. */
export interface SarifResult {
  readonly level?: SarifLevel;
  readonly kind?: string;
  readonly ruleId?: string;
  readonly ruleIndex?: number;
  readonly securitySeverity?: unknown;
  /** §3.27.23: a result with an accepted (or status-less) suppression is not a finding. */
  readonly suppressed: boolean;
  /** §3.27.24: `absent` means the problem is gone since the baseline. */
  readonly absent: boolean;
}

export interface SarifRule {
  readonly id?: string;
  readonly defaultLevel?: SarifLevel;
  readonly securitySeverity?: unknown;
}

export interface SarifRun {
  readonly toolName: string;
  /** `driver.version`, else `driver.semanticVersion` (§3.19.13, §3.19.14). */
  readonly toolVersion?: string;
  readonly rules: readonly SarifRule[];
  readonly results: readonly SarifResult[];
  /** `versionControlProvenance[0].revisionId`: the commit the tool scanned, when it says. */
  readonly revisionId?: string;
  readonly repositoryUri?: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const level = (v: unknown): SarifLevel | undefined => (SARIF_LEVELS.includes(v as SarifLevel) ? (v as SarifLevel) : undefined);

// Checks the shape the summary relies on and names the first place it is wrong, by its JSON
// path in the file (`runs[0].results[3].level`).
export function parseSarifLog(text: string, file: string): SarifRun[] {
  let log: unknown;
  try {
    log = JSON.parse(text);
  } catch (e) {
    throw invalid(file, `is not JSON: ${(e as Error).message}`);
  }
  if (!isObject(log)) throw invalid(file, 'is not a SARIF log (a JSON object)');
  if (log.version !== '2.1.0') throw invalid(file, `version must be "2.1.0" (got ${JSON.stringify(log.version)?.slice(0, 40)})`);
  if (!Array.isArray(log.runs) || log.runs.length === 0) throw invalid(file, 'runs must be a non-empty array');
  return log.runs.map((run, i) => parseRun(run, `runs[${i}]`, file));
}

function parseRun(run: unknown, at: string, file: string): SarifRun {
  if (!isObject(run)) throw invalid(file, `${at} must be an object`);
  const driver = isObject(run.tool) ? run.tool.driver : undefined;
  if (!isObject(driver)) throw invalid(file, `${at}.tool.driver must be an object`);
  const toolName = optionalString(driver.name);
  if (!toolName) throw invalid(file, `${at}.tool.driver.name must be a non-empty string`);
  // §3.14.23: a run without `results` means the tool did not finish; an empty array means no findings.
  if (!Array.isArray(run.results)) throw invalid(file, `${at}.results is missing: the tool did not report a complete run`);
  const rules = Array.isArray(driver.rules) ? driver.rules.map(parseRule) : [];
  const provenance =
    Array.isArray(run.versionControlProvenance) && isObject(run.versionControlProvenance[0]) ? run.versionControlProvenance[0] : {};
  return {
    toolName,
    toolVersion: optionalString(driver.version) ?? optionalString(driver.semanticVersion),
    rules,
    results: run.results.map((r, j) => parseResult(r, `${at}.results[${j}]`, file)),
    revisionId: optionalString(provenance.revisionId),
    repositoryUri: optionalString(provenance.repositoryUri),
  };
}

function parseRule(rule: unknown): SarifRule {
  if (!isObject(rule)) return {};
  const config = isObject(rule.defaultConfiguration) ? rule.defaultConfiguration : {};
  return {
    id: optionalString(rule.id),
    defaultLevel: level(config.level),
    securitySeverity: isObject(rule.properties) ? rule.properties['security-severity'] : undefined,
  };
}

function parseResult(result: unknown, at: string, file: string): SarifResult {
  if (!isObject(result)) throw invalid(file, `${at} must be an object`);
  if (result.level !== undefined && !level(result.level)) throw invalid(file, `${at}.level must be one of ${SARIF_LEVELS.join(', ')}`);
  const suppressions = Array.isArray(result.suppressions) ? result.suppressions : [];
  const ruleIndex = isObject(result.rule) && Number.isInteger(result.rule.index) ? result.rule.index : result.ruleIndex;
  return {
    level: level(result.level),
    kind: optionalString(result.kind),
    ruleId: optionalString(result.ruleId) ?? (isObject(result.rule) ? optionalString(result.rule.id) : undefined),
    ruleIndex: Number.isInteger(ruleIndex) && (ruleIndex as number) >= 0 ? (ruleIndex as number) : undefined,
    securitySeverity: isObject(result.properties) ? result.properties['security-severity'] : undefined,
    suppressed: suppressions.some((s) => isObject(s) && (s.status === undefined || s.status === 'accepted')),
    absent: result.baselineState === 'absent',
  };
}

function invalid(file: string, message: string): CliError {
  return new CliError('INPUT_INVALID', `${file}: ${message}`);
}
