import { createHash } from 'node:crypto';
import { eslintSarif } from '../../../../test/fixtures/sarif-eslint';
import { parseSarifLog } from './sarif-log';
import { summarizeSarif } from './sarif-summary';

// A SARIF 2.1.0 log with one run of `tool`; results and rules as given.
function sarif(results: unknown[], driver: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{ tool: { driver: { name: 'semgrep', version: '1.79.0', ...driver } }, results, ...extra }],
  });
}

const summarize = (text: string) => summarizeSarif(parseSarifLog(text, 'scan.sarif'), Buffer.from(text));

describe('summarizing a SARIF file', () => {
  it('counts what ESLint reported, through its SARIF formatter, by level and severity', async () => {
    const { text, eslintVersion } = await eslintSarif();
    const { tools, sarifDigest } = summarize(text);
    expect(tools).toEqual([
      {
        name: 'ESLint',
        version: eslintVersion,
        levels: { error: 3, warning: 2, note: 0, none: 0 },
        findings: { critical: 0, high: 3, medium: 2, low: 0, info: 0 },
        excluded: 0,
      },
    ]);
    expect(sarifDigest).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
  });

  it("defaults a result's level as SARIF §3.27.10 says: kind, then the rule's default, then warning", () => {
    const { tools } = summarize(
      sarif(
        [
          { ruleId: 'a' },
          { ruleIndex: 1 },
          { ruleId: 'zzz' },
          { kind: 'pass' },
          { kind: 'fail', ruleId: 'b' },
          { level: 'note', ruleId: 'b' },
        ],
        {
          rules: [
            { id: 'a', defaultConfiguration: { level: 'error' } },
            { id: 'b', defaultConfiguration: { level: 'none' } },
          ],
        },
      ),
    );
    expect(tools[0].levels).toEqual({ error: 1, warning: 1, note: 1, none: 3 });
  });

  it('grades by security-severity scores when the tool gives them, on the result or its rule', () => {
    const { tools } = summarize(
      sarif(
        [
          { ruleId: 'sqli', level: 'error' },
          { ruleId: 'xss', level: 'warning' },
          { level: 'note', properties: { 'security-severity': '7.5' } },
          { level: 'warning', properties: { 'security-severity': '0.0' } },
          { level: 'error', properties: { 'security-severity': 'high' } },
        ],
        {
          rules: [
            { id: 'sqli', properties: { 'security-severity': '9.8' } },
            { id: 'xss', properties: { 'security-severity': '5.4' } },
          ],
        },
      ),
    );
    expect(tools[0].findings).toEqual({ critical: 1, high: 2, medium: 1, low: 0, info: 1 });
  });

  it('leaves out suppressed results and those fixed since the baseline', () => {
    const { tools } = summarize(
      sarif([
        { level: 'error', suppressions: [{ kind: 'inSource' }] },
        { level: 'error', suppressions: [{ kind: 'external', status: 'rejected' }] },
        { level: 'error', suppressions: [{ kind: 'external', status: 'underReview' }] },
        { level: 'error', baselineState: 'absent' },
        { level: 'error', baselineState: 'new' },
      ]),
    );
    expect(tools[0]).toMatchObject({ levels: { error: 3 }, excluded: 2 });
  });

  it('adds up runs of the same tool and keeps different tools apart', () => {
    const text = JSON.stringify({
      version: '2.1.0',
      runs: [
        { tool: { driver: { name: 'trivy', semanticVersion: '0.50.1' } }, results: [{ level: 'error' }] },
        { tool: { driver: { name: 'gitleaks', version: '8.18.0' } }, results: [] },
        { tool: { driver: { name: 'trivy', semanticVersion: '0.50.1' } }, results: [{ level: 'error' }, { level: 'note' }] },
      ],
    });
    expect(summarize(text).tools.map((t) => [t.name, t.version, t.levels.error + t.levels.note])).toEqual([
      ['trivy', '0.50.1', 3],
      ['gitleaks', '8.18.0', 0],
    ]);
  });

  it('keeps the commit and repository the run says it scanned', () => {
    const [tool] = summarize(
      sarif([], {}, { versionControlProvenance: [{ repositoryUri: 'https://github.com/acme/pay', revisionId: 'a'.repeat(40) }] }),
    ).tools;
    expect(tool).toMatchObject({ revisionId: 'a'.repeat(40), repositoryUri: 'https://github.com/acme/pay' });
  });

  it.each<[string, string, RegExp]>([
    ['not JSON', '{"version": ', /is not JSON/],
    ['another SARIF version', JSON.stringify({ version: '2.0.0', runs: [] }), /version must be "2.1.0"/],
    ['no runs', JSON.stringify({ version: '2.1.0', runs: [] }), /runs must be a non-empty array/],
    [
      'a run without a tool name',
      JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] }),
      /runs\[0\]\.tool\.driver\.name/,
    ],
    [
      'a run that did not finish',
      JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } } }] }),
      /runs\[0\]\.results is missing/,
    ],
    ['an unknown level', sarif([{}, { level: 'fatal' }]), /runs\[0\]\.results\[1\]\.level must be one of/],
    ['a result that is not an object', sarif([null]), /runs\[0\]\.results\[0\] must be an object/],
    ['a JSON array', '[]', /not a SARIF log/],
  ])('refuses %s, naming the place', (_what, text, message) => {
    expect(() => summarize(text)).toThrow(message);
  });
});
