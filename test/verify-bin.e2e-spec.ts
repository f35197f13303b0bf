import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { digestApiKey } from '../libs/ledger/src/credentials/api-key-secret';
import { Ledger } from '../libs/ledger/src/ledger';
import { modelInvocation } from '../libs/ledger/src/testing/events';
import { sqliteHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { cli, ensureCliBuilt, REPO_ROOT } from './fixtures/cli-process';
import { ExportFile } from './fixtures/export-file';
import { createLedgerLogs, LedgerLogs, ORIGIN_PREFIX } from './fixtures/ledger-logs';

// `evidence-ledger-verify` (the bin of @evidence-ledger/verify) runs the same checks as the
// main CLI's verify commands and reports them the same way, with the same exit codes.
const VERIFY_BIN = join(REPO_ROOT, 'libs', 'verify', 'dist', 'bin', 'evidence-ledger-verify.js');

function verifyBin(...args: string[]) {
  return spawnSync(process.execPath, [VERIFY_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

// The report without its timing, which differs from run to run.
const untimed = (stdout: string) => {
  const { elapsedMs: _elapsed, entriesPerSecond: _rate, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
  return rest;
};

describe('evidence-ledger-verify', () => {
  let logs: LedgerLogs;
  let genuine: string;
  let tampered: string;
  const apiKey = 'elk_verify-bin-producer-key-0123456789abcdef01234';

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(sqliteHandle(), ['acme']);
    const store = await logs.handle.open();
    const ledger = new Ledger({
      store,
      signer: await LocalKeySigner.loadOrCreate(logs.keyFile, ORIGIN_PREFIX),
      originPrefix: ORIGIN_PREFIX,
    });
    try {
      const events = [modelInvocation(), modelInvocation()];
      const appended = await ledger.append('acme', digestApiKey(apiKey).id, events);
      writeFileSync(join(logs.dir, 'receipts.json'), JSON.stringify(appended.map((a) => a.receipt)));
      writeFileSync(join(logs.dir, 'events.json'), JSON.stringify(events));
    } finally {
      await ledger.close();
      await store.close();
    }
    genuine = join(logs.dir, 'acme.jsonl');
    expect((await cli(['export', '--store', logs.location, '--tenant', 'acme', '--out', genuine])).status).toBe(0);
    const file = ExportFile.read(genuine);
    const line = file.entryLine(7);
    const entry = file.parsed(line);
    tampered = join(logs.dir, 'tampered.jsonl');
    writeFileSync(tampered, `${file.replace(line, JSON.stringify({ ...entry, sequence: 8 })).lines.join('\n')}\n`);
  }, 300_000);
  afterAll(() => logs?.cleanup());

  it.each([
    ['a genuine export', () => genuine, 0],
    ['a tampered export', () => tampered, 1],
  ])('verifies %s as verify-export does: same report, same exit code', async (_what, file, status) => {
    const ours = verifyBin('export', file(), '--public-key', logs.publicKey, '--json');
    const main = await cli(['verify-export', file(), '--public-key', logs.publicKey, '--json']);
    expect(ours.stderr).toBe('');
    expect([ours.status, main.status]).toEqual([status, status]);
    expect(untimed(ours.stdout)).toEqual(untimed(main.stdout));
  });

  it.each([
    ['the key they were posted with', apiKey, 0],
    ['another key', 'elk_someone-else-0123456789abcdef0123456789abcdef', 1],
  ])('proves receipts are the events posted with %s as verify-receipt does: same report, same exit code', async (_what, key, status) => {
    const args = [
      join(logs.dir, 'receipts.json'),
      '--event',
      join(logs.dir, 'events.json'),
      '--api-key',
      key,
      '--public-key',
      logs.publicKey,
    ];
    const ours = verifyBin('receipt', ...args);
    const main = await cli(['verify-receipt', ...args]);
    expect(ours.stderr).toBe('');
    expect([ours.status, main.status]).toEqual([status, status]);
    expect(ours.stdout).toBe(main.stdout);
  });

  it.each([
    [['export'], 'export: the file to verify is required'],
    [['archive', 'x'], 'unknown command "archive": pack, bundle, export, segment or receipt'],
    [['export', 'x.jsonl', '--previous', 'y.zip', '--public-key', 'k'], 'export takes no --previous'],
    [['pack', 'a.zip', '--public-kye', 'k'], "Unknown option '--public-kye'"],
  ])('refuses %j with one line and exit 2', (args, message) => {
    const run = verifyBin(...args);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`evidence-ledger-verify: ${message}`);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.status).toBe(2);
  });

  it('names a missing input file as an input error, exit 2', () => {
    const run = verifyBin('receipt', join(logs.dir, 'missing.json'), '--public-key', logs.publicKey);
    expect(run.stderr).toMatch(/^evidence-ledger-verify: receipt: cannot read .*missing\.json/);
    expect(run.status).toBe(2);
  });

  it('prints its usage with --help, exit 0', () => {
    const run = verifyBin('--help');
    expect(run.stdout).toContain('Usage: evidence-ledger-verify <pack|bundle|export|segment|receipt>');
    expect(run.status).toBe(0);
  });
});
