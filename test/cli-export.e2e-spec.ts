import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { cli, ensureCliBuilt } from './fixtures/cli-process';
import { ExportFile } from './fixtures/export-file';
import { CHECKPOINT_SIZES, createLedgerLogs, LedgerLogs, LOG_SIZE } from './fixtures/ledger-logs';
import { alterRootLine, flipByte, openTamper } from './fixtures/store-tamper';

interface Report {
  ok: boolean;
  entries: number;
  checkpoints: number;
  verifiedTreeSize: number;
  failure?: { code: string; line?: number; sequence?: number; treeSize?: number; message: string };
}

describe.each(STORES)('evidence-ledger export on %s', (_name, makeHandle) => {
  let logs: LedgerLogs;

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(makeHandle(), ['acme', 'damaged', 'unsealed']);
    const tamper = await openTamper(logs.handle);
    try {
      const { canonical } = await tamper.readEntry('damaged', 12);
      await tamper.writeEntry('damaged', 12, { canonical: flipByte(canonical, canonical.indexOf('anthropic')) });
      // As if the last batch's checkpoint were not written yet: its entries are not exported.
      await tamper.deleteCheckpoint('unsealed', 100);
    } finally {
      await tamper.close();
    }
  }, 300_000);
  afterAll(() => logs?.cleanup());

  const exportLog = (tenant: string, out: string, ...extra: string[]) =>
    cli(['export', '--store', logs.location, '--tenant', tenant, '--out', out, ...extra]);
  const verifyExport = (file: string) => cli(['verify-export', file, '--public-key', logs.publicKey, '--json']);

  it('writes a header, every entry and each checkpoint right after the entry that completes it', async () => {
    const out = join(logs.dir, 'acme.jsonl');
    const run = await exportLog('acme', out);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('exported 100 entries and 5 checkpoints');
    const file = ExportFile.read(out);
    expect(file.header).toMatchObject({
      format: 'evidence-ledger/log-export/v1',
      tenant: 'acme',
      origin: 'ledger.test/acme',
      treeSize: LOG_SIZE,
    });
    expect(new Date(file.header.exportedAt as string).getTime()).not.toBeNaN();
    expect(file.lines).toHaveLength(1 + LOG_SIZE + CHECKPOINT_SIZES.length);
    for (const size of CHECKPOINT_SIZES) expect(file.checkpointLine(size)).toBe(file.entryLine(size - 1) + 1);
    const entry = file.parsed(file.entryLine(0));
    expect(Object.keys(entry)).toEqual(['sequence', 'canonical', 'leafHash', 'chainHash']);
    expect(JSON.parse(Buffer.from(entry.canonical as string, 'base64').toString('utf8'))).toMatchObject({ sequence: 0, tenant: 'acme' });
    expect(readdirSync(logs.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('produces an export that verifies offline with the public key alone', async () => {
    const out = join(logs.dir, 'acme-offline.jsonl');
    expect((await exportLog('acme', out)).status).toBe(0);
    const run = await verifyExport(out);
    expect(run.status).toBe(0);
    expect(run.json<Report>()).toMatchObject({ ok: true, entries: LOG_SIZE, checkpoints: 5, verifiedTreeSize: LOG_SIZE });
  });

  it('refuses to overwrite an existing file unless --force is given', async () => {
    const out = join(logs.dir, 'existing.jsonl');
    writeFileSync(out, 'keep me\n');
    const refused = await exportLog('acme', out);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^evidence-ledger: .*existing\.jsonl already exists; pass --force/);
    expect(readFileSync(out, 'utf8')).toBe('keep me\n');
    expect((await exportLog('acme', out, '--force')).status).toBe(0);
    expect(ExportFile.read(out).header.treeSize).toBe(LOG_SIZE);
  });

  it('exports only up to the latest signed checkpoint', async () => {
    const out = join(logs.dir, 'unsealed.jsonl');
    expect((await exportLog('unsealed', out)).status).toBe(0);
    const file = ExportFile.read(out);
    expect(file.header.treeSize).toBe(73);
    expect(file.lines).toHaveLength(1 + 73 + 4);
    expect((await verifyExport(out)).status).toBe(0);
  });

  it('exports a damaged log as stored, and verify-export finds the damage', async () => {
    const out = join(logs.dir, 'damaged.jsonl');
    expect((await exportLog('damaged', out)).status).toBe(0);
    const run = await verifyExport(out);
    expect(run.status).toBe(1);
    expect(run.json<Report>().failure).toMatchObject({
      code: 'LEAF_HASH_MISMATCH',
      sequence: 12,
      line: ExportFile.read(out).entryLine(12),
    });
  });

  it('refuses an unknown tenant without writing anything (exit 2)', async () => {
    const out = join(logs.dir, 'nobody.jsonl');
    const run = await exportLog('nobody', out);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^evidence-ledger: tenant "nobody" has no log in .* \(tenants in this store: acme, damaged, unsealed\)\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it('writes the file readable by its owner only (it holds every event of the tenant)', async () => {
    const out = join(logs.dir, 'mode.jsonl');
    expect((await exportLog('acme', out)).status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });
});

describe('evidence-ledger verify-export on a tampered export', () => {
  let logs: LedgerLogs;
  let original: ExportFile;
  let n = 0;

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(STORES[0][1](), ['acme']);
    const out = join(logs.dir, 'acme.jsonl');
    expect((await cli(['export', '--store', logs.location, '--tenant', 'acme', '--out', out])).status).toBe(0);
    original = ExportFile.read(out);
  }, 300_000);
  afterAll(() => logs?.cleanup());

  async function verify(file: ExportFile | string): Promise<Report> {
    const path = typeof file === 'string' ? file : file.write(join(logs.dir, `tampered-${++n}.jsonl`));
    const run = await cli(['verify-export', path, '--public-key', logs.publicKey, '--json']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    return run.json<Report>();
  }

  it('names the line and sequence of a flipped byte in an entry', async () => {
    const line = original.entryLine(41);
    const entry = original.parsed(line);
    const canonical = Buffer.from(entry.canonical as string, 'base64');
    const flipped = flipByte(canonical, canonical.indexOf('claude-sonnet'));
    const report = await verify(original.replace(line, JSON.stringify({ ...entry, canonical: flipped.toString('base64') })));
    expect(report.failure).toMatchObject({ code: 'LEAF_HASH_MISMATCH', sequence: 41, line });
  });

  it('names the missing sequence where a line was deleted', async () => {
    const line = original.entryLine(50);
    expect((await verify(original.remove(line))).failure).toMatchObject({ code: 'ENTRY_MISSING', sequence: 50, line });
  });

  it('names the first of two swapped lines', async () => {
    const [a, b] = [original.entryLine(30), original.entryLine(77)];
    expect((await verify(original.swap(b, a))).failure).toMatchObject({ code: 'ENTRY_MISSING', sequence: 30, line: a });
  });

  it('names the checkpoint whose line was changed', async () => {
    const line = original.checkpointLine(58);
    const changed = JSON.stringify({ checkpoint: alterRootLine(original.parsed(line).checkpoint as string) });
    expect((await verify(original.replace(line, changed))).failure).toMatchObject({ code: 'CHECKPOINT_UNVERIFIED', treeSize: 58, line });
  });

  it('reports a file cut in the middle of a line as truncated at that line', async () => {
    const path = original.write(join(logs.dir, 'cut.jsonl'));
    truncateSync(path, statSync(path).size - 20);
    expect((await verify(path)).failure).toMatchObject({ code: 'EXPORT_TRUNCATED', line: original.lines.length });
  });

  it('reports a file cut at a line boundary as truncated at the first missing entry', async () => {
    const withoutLastBatchSeal = original.remove(original.lines.length).remove(original.lines.length - 1);
    expect((await verify(withoutLastBatchSeal)).failure).toMatchObject({
      code: 'EXPORT_TRUNCATED',
      sequence: 99,
      line: original.lines.length - 1,
    });
    const cut = original.lines.slice(0, original.entryLine(90) - 1);
    writeFileSync(join(logs.dir, 'cut-lines.jsonl'), `${cut.join('\n')}\n`);
    expect((await verify(join(logs.dir, 'cut-lines.jsonl'))).failure).toMatchObject({
      code: 'EXPORT_TRUNCATED',
      sequence: 90,
      line: cut.length + 1,
    });
  });

  it('names a line that is not JSON', async () => {
    const line = original.entryLine(20);
    expect((await verify(original.replace(line, original.lines[line - 1].slice(0, 40)))).failure).toMatchObject({
      code: 'LINE_MALFORMED',
      sequence: 20,
      line,
    });
  });

  it('checks the header against the signed data', async () => {
    const wrongTenant = original.replace(1, JSON.stringify({ ...original.header, tenant: 'globex' }));
    expect((await verify(wrongTenant)).failure).toMatchObject({ code: 'TENANT_MISMATCH', sequence: 0, line: 2 });
    const wrongOrigin = original.replace(1, JSON.stringify({ ...original.header, origin: 'ledger.test/globex' }));
    expect((await verify(wrongOrigin)).failure).toMatchObject({ code: 'CHECKPOINT_ORIGIN_MISMATCH', treeSize: 20 });
    const wrongSize = original.replace(1, JSON.stringify({ ...original.header, treeSize: 90 }));
    expect((await verify(wrongSize)).failure).toMatchObject({ code: 'HEADER_MISMATCH', line: 1 });
  });

  it('prints the line and sequence in the readable output', async () => {
    const path = original.remove(original.entryLine(50)).write(join(logs.dir, 'readable.jsonl'));
    const run = await cli(['verify-export', path, '--public-key', logs.publicKey]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAILED at line \d+ \(sequence 50\): entry 50 is missing \(the next entry present is 51\)$/m);
  });
});
