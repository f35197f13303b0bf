import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueApiKey } from '@evidence-ledger/ledger';
import { StoreHandle, STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { cli, CliRun, ensureCliBuilt, REPO_ROOT } from './fixtures/cli-process';
import { eslintSarif, EslintSarif } from './fixtures/sarif-eslint';
import { call } from './support/http-client';
import { LedgerSite, newSite, RunningLedger, startLedger } from './support/ledger-server';

const COMMIT = '4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a';
const CHANGE = 'github.com/acme/pay#482';

// A user error: exit 2, one `evidence-ledger: …` line on stderr, nothing on stdout.
function expectUsageError(run: CliRun, message: RegExp): void {
  expect(run.stderr).toMatch(message);
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^evidence-ledger: [^\n]+\n$/);
}

// The built CLI with `input` on its standard input.
function cliWithStdin(args: readonly string[], input: string, env: Record<string, string>): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'evidence-ledger.js'), ...args], { env: { ...process.env, ...env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', fail);
    child.on('close', (status) => {
      const stdout = Buffer.concat(out).toString('utf8');
      done({ status, stdout, stderr: Buffer.concat(err).toString('utf8'), json: <T>() => JSON.parse(stdout) as T });
    });
    child.stdin.end(input);
  });
}

describe.each(STORES)('evidence-ledger record on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let site: LedgerSite;
  let ledger: RunningLedger;
  let env: Record<string, string>;
  let auditorKey: string;
  let eslint: EslintSarif;
  let dir: string;

  const treeSize = async (tenant = 'default') => (await ledger.runtime.store.head(tenant)).treeSize;
  const entry = async (sequence: number) => (await call(`${ledger.url}/v1/entries/${sequence}`, { key: auditorKey })).body.entry;
  const file = (name: string, text: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const scan = (...args: string[]) => cli(['record', 'scan', '--change', CHANGE, '--commit', COMMIT, ...args], env);

  beforeAll(async () => {
    await ensureCliBuilt();
    handle = makeHandle();
    site = newSite(handle.location);
    ledger = await startLedger(site);
    const key = async (json: unknown) => (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json })).body.key as string;
    env = { LEDGER_URL: ledger.url, LEDGER_API_KEY: await key({ name: 'ci', role: 'producer', sourcePrefix: 'urn:' }) };
    auditorKey = await key({ name: 'auditor', role: 'auditor' });
    eslint = await eslintSarif();
    dir = mkdtempSync(join(tmpdir(), 'cli-record-'));
  }, 300_000);
  afterAll(async () => {
    await ledger.close();
    await handle.cleanup();
  });

  it("records ESLint's SARIF as scan.completed, with the file's digest, and verifies the receipt", async () => {
    const run = await scan('--sarif', eslint.file, '--repository', 'github.com/acme/pay', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { verified, receipts, scan: summary } = run.json<{ verified: boolean; receipts: { sequence: number }[]; scan: unknown }>();
    expect(verified).toBe(true);
    expect(summary).toMatchObject({ tools: [{ name: 'ESLint', levels: { error: 3, warning: 2, note: 0, none: 0 } }] });
    expect(await entry(receipts[0].sequence)).toMatchObject({
      type: 'scan.completed',
      source: 'urn:evidence-ledger:cli',
      changeid: CHANGE,
      producer: expect.stringMatching(/^[0-9a-f]{16}$/),
      data: {
        tool: { name: 'ESLint', version: eslint.eslintVersion },
        kind: 'sast',
        repository: 'github.com/acme/pay',
        commit: COMMIT,
        findings: { critical: 0, high: 3, medium: 2, low: 0, info: 0 },
        sarifDigest: `sha256:${createHash('sha256').update(readFileSync(eslint.file)).digest('hex')}`,
        passed: false,
      },
    });
  });

  it('says in one line per tool what it counted, and passes the gate below --fail-on', async () => {
    const run = await scan('--sarif', eslint.file, '--fail-on', 'critical', '--kind', 'sca');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^recorded scan\.completed for ESLint \S+ as sequence \d+ .*3 error, 2 warning, 0 note, 0 none; critical 0, high 3, medium 2, low 0, info 0; gate passed\n/,
    );
    expect(run.stdout).toMatch(/receipt verified: checkpoint ledger\.test\/default at tree size \d+/);
  });

  it('asks for the tool version when the SARIF file names none', async () => {
    const sarif = JSON.parse(eslint.text);
    delete sarif.runs[0].tool.driver.version;
    const unversioned = file('unversioned.sarif', JSON.stringify(sarif));
    const before = await treeSize();
    expectUsageError(await scan('--sarif', unversioned), /names no tool version; pass --tool-version/);
    expect(await treeSize()).toBe(before);
    expect((await scan('--sarif', unversioned, '--tool-version', eslint.eslintVersion)).status).toBe(0);
  });

  it('records a catalog event from a data file; a retry with the same id and time changes nothing', async () => {
    const data = file(
      'review.json',
      JSON.stringify({
        approver: { subject: 'bob@acme.com', issuer: 'https://login.acme.com', role: 'security-reviewer', mfa: true },
        checkpoint: 'security',
        decision: 'approve',
        commit: COMMIT,
      }),
    );
    const args = [
      ...['record', 'review.decision.recorded', '--data', `@${data}`, '--change', CHANGE, '--actor', 'human:bob@acme.com', '--json'],
      ...['--id', '0190b6f2-7c1e-7a3b-9f00-00000000c11a', '--time', '2026-07-02T10:00:00Z'],
    ];
    const first = await cli(args, env);
    expect(first.status).toBe(0);
    const [receipt] = first.json<{ receipts: { sequence: number }[] }>().receipts;
    expect(await entry(receipt.sequence)).toMatchObject({
      time: '2026-07-02T10:00:00Z',
      actor: { kind: 'human', id: 'bob@acme.com' },
      data: { decision: 'approve' },
    });
    const size = await treeSize();
    const retry = await cli(args, env);
    expect(retry.status).toBe(0);
    expect(retry.json<{ receipts: unknown[] }>().receipts).toEqual(first.json<{ receipts: unknown[] }>().receipts);
    // Another event under a used id is refused, not silently taken for a retry.
    const changed = await cli([...args.slice(0, -1), '2026-07-02T11:00:00Z'], env);
    expect(changed.status).toBe(2);
    expect(changed.stderr).toMatch(/ID_CONFLICT/);
    expect(await treeSize()).toBe(size);
  });

  it('takes the data from standard input', async () => {
    const run = await cliWithStdin(['record', 'x.acme.release.note', '--data', '-', '--json'], '{"version": "2.4.0", "notes": 12}\n', env);
    expect(run.status).toBe(0);
    const [receipt] = run.json<{ receipts: { sequence: number }[] }>().receipts;
    expect((await entry(receipt.sequence)).data).toEqual({ version: '2.4.0', notes: 12 });
  });

  it('records governance settings with an admin key and verifies the receipt; a producer key is refused (exit 2)', async () => {
    const settings = '{"requiredScanKinds": ["sast"]}\n';
    const refused = await cliWithStdin(['record', 'x.governance.settings.updated', '--data', '-'], settings, env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/GOVERNANCE_ROLE_REQUIRED/);
    const run = await cliWithStdin(['record', 'x.governance.settings.updated', '--data', '-', '--json'], settings, {
      ...env,
      LEDGER_API_KEY: ledger.adminKey,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [receipt] = run.json<{ receipts: { sequence: number }[] }>().receipts;
    expect(await entry(receipt.sequence)).toMatchObject({ producerrole: 'admin', data: { requiredScanKinds: ['sast'] } });
  });

  it('checks the receipt against a pinned public key, and fails (exit 1) against another', async () => {
    const pinned = await cli(['record', 'x.acme.ping', '--public-key', `${site.keyFile}.pub`], env);
    expect(pinned.status).toBe(0);
    const other = file('other.pub', generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string);
    const before = await treeSize();
    const wrong = await cli(['record', 'x.acme.ping', '--public-key', other], env);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/^evidence-ledger: the receipt for [0-9a-f-]{36} does not verify: its checkpoint does not verify/);
    expect(await treeSize()).toBe(before + 1); // recorded, but the receipt is not vouched for by that key
  });

  it("records into the key's own tenant", async () => {
    await ledger.runtime.store.createTenant('globex');
    const globexKey = (await issueApiKey(ledger.runtime.store, { tenant: 'globex', name: 'ci', role: 'producer' })).key;
    const [acme, globex] = [await treeSize(), await treeSize('globex')];
    const run = await cli(['record', 'x.acme.ping', '--json'], { ...env, LEDGER_API_KEY: globexKey });
    expect(run.status).toBe(0);
    expect(run.json<{ receipts: { checkpoint: string }[] }>().receipts[0].checkpoint).toMatch(/^ledger\.test\/globex\n/);
    expect([await treeSize(), await treeSize('globex')]).toEqual([acme, globex + 1]);
  });

  describe('bad input: one line, exit 2, nothing written', () => {
    const sparse = (name: string, bytes: number) => {
      const path = file(name, '');
      truncateSync(path, bytes);
      return path;
    };
    it.each<[string, () => string[], RegExp, Record<string, string>?]>([
      [
        'a SARIF file that is not JSON',
        () => ['record', 'scan', '--sarif', file('broken.sarif', '{"version":'), '--commit', COMMIT],
        /broken\.sarif: is not JSON/,
      ],
      [
        'SARIF 2.0',
        () => ['record', 'scan', '--sarif', file('old.sarif', '{"version":"2.0.0","runs":[]}'), '--commit', COMMIT],
        /version must be "2\.1\.0"/,
      ],
      [
        'a SARIF file over 64 MiB',
        () => ['record', 'scan', '--sarif', sparse('huge.sarif', 64 * 1024 * 1024 + 1), '--commit', COMMIT],
        /huge\.sarif is 67108865 bytes; the limit is 67108864/,
      ],
      [
        'a missing SARIF file',
        () => ['record', 'scan', '--sarif', join(dir, 'none.sarif'), '--commit', COMMIT],
        /cannot read .*none\.sarif: no such file/,
      ],
      ['a directory as SARIF file', () => ['record', 'scan', '--sarif', dir, '--commit', COMMIT], /is not a regular file/],
      ['an abbreviated commit', () => ['record', 'scan', '--sarif', eslint.file, '--commit', 'abc1234'], /full 40-hex-digit/],
      ['no commit at all', () => ['record', 'scan', '--sarif', eslint.file], /pass --commit/, { GITHUB_SHA: '' }],
      ['an unknown scan kind', () => ['record', 'scan', '--sarif', eslint.file, '--kind', 'pentest'], /pentest/],
      ['data that is not JSON', () => ['record', 'x.acme.note', '--data', '{oops'], /--data is not valid JSON/],
      ['a missing data file', () => ['record', 'x.acme.note', '--data', `@${join(dir, 'none.json')}`], /cannot read .*none\.json/],
      [
        'a data file over 1 MiB',
        () => ['record', 'x.acme.note', '--data', `@${sparse('big.json', 1024 * 1024 + 1)}`],
        /the limit is 1048576/,
      ],
      [
        'typed data with an unknown field',
        () => ['record', 'budget.threshold.crossed', '--data', '{"team":"x","evil":1}'],
        /data\.evil is not a field of this event type.*\[INVALID_ENVELOPE\]/,
      ],
      [
        'a __proto__ key in typed data',
        () => ['record', 'budget.threshold.crossed', '--data', '{"__proto__":{"admin":true}}'],
        /INVALID_ENVELOPE/,
      ],
      ['a change id of 2000 characters', () => ['record', 'x.acme.note', '--change', 'c'.repeat(2000)], /changeid must be at most 1024/],
      ['a server-only type', () => ['record', 'ledger.key.rotated'], /written by the ledger only/],
      ['a malformed type', () => ['record', 'Scan Completed'], /is not an event type/],
      ['a malformed actor', () => ['record', 'x.acme.note', '--actor', 'robot'], /--actor must be <kind>:<id>/],
      ['a source outside the key', () => ['record', 'x.acme.note', '--source', 'https://elsewhere'], /SOURCE_NOT_ALLOWED/],
      ['no API key', () => ['record', 'x.acme.note'], /--api-key/, { LEDGER_API_KEY: '' }],
      ['no API key for a scan', () => ['record', 'scan', '--sarif', eslint.file], /--api-key/, { LEDGER_API_KEY: '' }],
      ['a wrong API key', () => ['record', 'x.acme.note', '--api-key', 'elk_wrong-key-000000000000000000000000'], /UNAUTHENTICATED/],
      ['an auditor key', () => ['record', 'x.acme.note', '--api-key', auditorKey], /FORBIDDEN/],
      ['an unreachable service', () => ['record', 'x.acme.note', '--url', 'http://127.0.0.1:1'], /cannot reach the ledger/],
    ])('refuses %s', async (_what, args, message, extraEnv = {}) => {
      const before = await treeSize();
      expectUsageError(await cli(args(), { ...env, ...extraEnv }), message);
      expect(await treeSize()).toBe(before);
    });
  });

  describe('integrations github-secret', () => {
    it('sets a secret once shown, shows when it was set, and removes it', async () => {
      const admin = { LEDGER_URL: ledger.url, LEDGER_API_KEY: ledger.adminKey };
      const set = await cli(['integrations', 'github-secret', 'set'], admin);
      expect(set.status).toBe(0);
      expect(set.stdout).toMatch(/^ {2}elw_[A-Za-z0-9_-]{43}$/m);
      expect(set.stdout).toContain(`Payload URL: ${ledger.url}/v1/ingest/github?tenant=default`);
      const chosen = await cliWithStdin(
        ['integrations', 'github-secret', 'set', '--secret-stdin', '--json'],
        'our-own-webhook-secret-0123456789abcdef\n',
        admin,
      );
      expect(chosen.status).toBe(0);
      expect(chosen.json<{ secret: string }>().secret).toBe('our-own-webhook-secret-0123456789abcdef');
      const shown = await cli(['integrations', 'github-secret', 'show'], admin);
      expect(shown.status).toBe(0);
      expect(shown.stdout).toMatch(/GitHub webhook secret for tenant default: set \d{4}-/);
      expect(shown.stdout).not.toContain('our-own-webhook-secret');
      expect((await cli(['integrations', 'github-secret', 'remove'], admin)).status).toBe(0);
      expectUsageError(await cli(['integrations', 'github-secret', 'show'], admin), /NOT_FOUND/);
    });

    const admin = () => ({ ...env, LEDGER_API_KEY: ledger.adminKey });
    it.each<[string, string[], () => Record<string, string>, string, RegExp]>([
      ['a producer key', ['set'], () => env, '', /FORBIDDEN/],
      ['a wrong API key', ['show'], () => ({ ...env, LEDGER_API_KEY: 'elk_wrong-key-000000000000000000000000' }), '', /UNAUTHENTICATED/],
      ['a short secret', ['set', '--secret-stdin'], admin, 'short\n', /secret must be at least 32 characters/],
      ['a secret with spaces', ['set', '--secret-stdin'], admin, 'correct horse battery staple and more words\n', /printable ASCII/],
      ['an empty standard input', ['set', '--secret-stdin'], admin, '', /no secret on standard input/],
      ['a secret over 1 KiB', ['set', '--secret-stdin'], admin, 'x'.repeat(2000), /longer than 1024 bytes/],
      ['no API key', ['show'], () => ({ LEDGER_URL: ledger.url }), '', /required option '--api-key <key>' not specified/],
    ])('refuses %s in one line', async (_what, args, runEnv, stdin, message) => {
      expectUsageError(await cliWithStdin(['integrations', 'github-secret', ...args], stdin, runEnv()), message);
    });
  });
});
