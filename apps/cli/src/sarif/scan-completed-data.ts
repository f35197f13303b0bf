import { CliError } from '../cli-error';
import { ToolSummary } from './sarif-summary';
import { atOrAbove, ScanSeverity } from './scan-severity';

export const SCAN_KINDS = ['sast', 'sca', 'secrets', 'license', 'dast', 'iac'] as const;
export type ScanKind = (typeof SCAN_KINDS)[number];

/** `--fail-on`: the least severe finding that fails the gate, or `none` for a scan that always passes. */
export type FailOn = ScanSeverity | 'none';

export interface ScanContext {
  readonly kind: ScanKind;
  /** The commit scanned; else the SARIF run's `versionControlProvenance`. */
  readonly commit?: string;
  readonly repository?: string;
  /** For tools whose SARIF names no version (ESLint's formatter, for one). */
  readonly toolVersion?: string;
  readonly failOn: FailOn;
}

const COMMIT = /^[0-9a-f]{40}$/;

// The `data` of one `scan.completed` event (schemas/scan.completed.schema.json):
// tool and exact version, kind, commit, findings by severity, the SARIF digest, and whether
// the gate passed — no finding at or above `failOn`.
export function scanCompletedData(tool: ToolSummary, sarifDigest: string, context: ScanContext): Record<string, unknown> {
  const version = tool.version ?? context.toolVersion;
  if (!version) throw new CliError('USAGE', `the SARIF run of ${tool.name} names no tool version; pass --tool-version`);
  const commit = (context.commit ?? tool.revisionId)?.toLowerCase();
  if (!commit) throw new CliError('USAGE', 'no commit to record the scan against; pass --commit <sha> (or set GITHUB_SHA)');
  if (!COMMIT.test(commit)) throw new CliError('USAGE', `--commit must be a full 40-hex-digit commit SHA, got "${commit.slice(0, 60)}"`);
  const repository = context.repository ?? repositoryOf(tool.repositoryUri);
  const passed = context.failOn === 'none' || atOrAbove(context.failOn).every((s) => tool.findings[s] === 0);
  return {
    tool: { name: tool.name, version },
    kind: context.kind,
    ...(repository && { repository }),
    commit,
    findings: { ...tool.findings },
    sarifDigest,
    passed,
  };
}

// `https://github.com/acme/pay.git` → `github.com/acme/pay`, the catalog's spelling.
function repositoryOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  try {
    const url = new URL(uri);
    const name = `${url.host}${url.pathname}`.replace(/\.git$/, '').replace(/\/+$/, '');
    return name.length > 0 && name.length <= 512 ? name : undefined;
  } catch {
    return undefined;
  }
}
