import { ToolSummary } from './sarif-summary';
import { scanCompletedData, ScanContext } from './scan-completed-data';

const tool = (overrides: Partial<ToolSummary> = {}): ToolSummary => ({
  name: 'semgrep',
  version: '1.79.0',
  levels: { error: 1, warning: 3, note: 0, none: 0 },
  findings: { critical: 0, high: 1, medium: 3, low: 0, info: 0 },
  excluded: 0,
  ...overrides,
});
const context = (overrides: Partial<ScanContext> = {}): ScanContext => ({
  kind: 'sast',
  commit: 'c'.repeat(40),
  failOn: 'high',
  ...overrides,
});
const DIGEST = `sha256:${'0'.repeat(64)}`;

describe('the scan.completed data of a SARIF summary', () => {
  it('carries the tool, commit, findings and digest, and fails the gate on a finding at or above --fail-on', () => {
    expect(scanCompletedData(tool(), DIGEST, context())).toEqual({
      tool: { name: 'semgrep', version: '1.79.0' },
      kind: 'sast',
      commit: 'c'.repeat(40),
      findings: { critical: 0, high: 1, medium: 3, low: 0, info: 0 },
      sarifDigest: DIGEST,
      passed: false,
    });
    expect(scanCompletedData(tool(), DIGEST, context({ failOn: 'critical' })).passed).toBe(true);
    expect(
      scanCompletedData(tool({ findings: { critical: 0, high: 0, medium: 0, low: 0, info: 9 } }), DIGEST, context({ failOn: 'low' }))
        .passed,
    ).toBe(true);
    expect(scanCompletedData(tool(), DIGEST, context({ failOn: 'none' })).passed).toBe(true);
  });

  it('takes the commit and repository from the SARIF run when not given', () => {
    const data = scanCompletedData(
      tool({ revisionId: 'A'.repeat(40), repositoryUri: 'https://github.com/acme/pay.git' }),
      DIGEST,
      context({ commit: undefined }),
    );
    expect(data).toMatchObject({ commit: 'a'.repeat(40), repository: 'github.com/acme/pay' });
  });

  it.each<[string, Partial<ToolSummary>, Partial<ScanContext>, RegExp]>([
    ['no tool version anywhere', { version: undefined }, {}, /names no tool version; pass --tool-version/],
    ['no commit', {}, { commit: undefined }, /pass --commit/],
    ['an abbreviated commit', {}, { commit: 'abc1234' }, /full 40-hex-digit/],
  ])('refuses %s with a usage error', (_what, t, c, message) => {
    expect(() => scanCompletedData(tool(t), DIGEST, context(c))).toThrow(message);
  });

  it('uses --tool-version only for a tool whose SARIF names none', () => {
    expect(scanCompletedData(tool(), DIGEST, context({ toolVersion: '9' })).tool).toEqual({ name: 'semgrep', version: '1.79.0' });
    expect(scanCompletedData(tool({ version: undefined }), DIGEST, context({ toolVersion: '9.39.5' })).tool).toEqual({
      name: 'semgrep',
      version: '9.39.5',
    });
  });
});
