import { createHash } from 'node:crypto';
import { SARIF_LEVELS, SarifLevel, SarifResult, SarifRule, SarifRun } from './sarif-log';
import { SCAN_SEVERITIES, ScanSeverity, severityFromLevel, severityFromScore } from './scan-severity';

/** What one tool found, counted two ways: by SARIF level and by the catalog's severities. */
export interface ToolSummary {
  readonly name: string;
  readonly version?: string;
  readonly levels: Record<SarifLevel, number>;
  readonly findings: Record<ScanSeverity, number>;
  /** Results left out: suppressed, or absent since the baseline. */
  excluded: number;
  readonly revisionId?: string;
  readonly repositoryUri?: string;
}

export interface SarifSummary {
  /** `sha256:` + hex SHA-256 of the file's bytes, exactly as read. */
  readonly sarifDigest: string;
  /** One per tool (runs of the same tool and version are added up), in order of first run. */
  readonly tools: readonly ToolSummary[];
}

const zero = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/**
 * Summarizes a parsed SARIF log. A result's level is its own, else — per SARIF 2.1.0
 * §3.27.10 — `none` when its `kind` is not `fail`, else its rule's
 * `defaultConfiguration.level`, else `warning`. Its severity is its `security-severity`
 * score (result, then rule) when it has one, else its level's (see scan-severity.ts).
 */
export function summarizeSarif(runs: readonly SarifRun[], bytes: Buffer): SarifSummary {
  const tools = new Map<string, ToolSummary>();
  for (const run of runs) {
    const key = `${run.toolName}\u0000${run.toolVersion ?? ''}`;
    const tool = tools.get(key) ?? {
      name: run.toolName,
      ...(run.toolVersion && { version: run.toolVersion }),
      levels: zero(SARIF_LEVELS),
      findings: zero(SCAN_SEVERITIES),
      excluded: 0,
      ...(run.revisionId && { revisionId: run.revisionId }),
      ...(run.repositoryUri && { repositoryUri: run.repositoryUri }),
    };
    tools.set(key, tool);
    for (const result of run.results) {
      if (result.suppressed || result.absent) {
        tool.excluded++;
        continue;
      }
      const rule = ruleOf(run, result);
      const level = levelOf(result, rule);
      tool.levels[level]++;
      tool.findings[severityFromScore(result.securitySeverity ?? rule?.securitySeverity) ?? severityFromLevel(level)]++;
    }
  }
  return { sarifDigest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, tools: [...tools.values()] };
}

function levelOf(result: SarifResult, rule: SarifRule | undefined): SarifLevel {
  if (result.level) return result.level;
  if (result.kind !== undefined && result.kind !== 'fail') return 'none';
  return rule?.defaultLevel ?? 'warning';
}

// §3.27.6–3.27.7: `ruleIndex` points into the driver's rules; `ruleId` names one.
function ruleOf(run: SarifRun, result: SarifResult): SarifRule | undefined {
  if (result.ruleIndex !== undefined && run.rules[result.ruleIndex]) return run.rules[result.ruleIndex];
  return result.ruleId === undefined ? undefined : run.rules.find((r) => r.id === result.ruleId);
}
