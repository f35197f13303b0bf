import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signCheckpoint } from '@evidence-ledger/core';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { openStore } from '@evidence-ledger/store';
import { STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { cli, ensureCliBuilt } from './fixtures/cli-process';
import { createLedgerLogs, LedgerLogs, ORIGIN_PREFIX } from './fixtures/ledger-logs';

// The empty log as docs/log-export-format.md specifies it: nothing signed exists before the
// first entry, so nothing is exported; a file that claims an empty log verifies only with a
// signed checkpoint of the empty tree, and is then reported as empty, never as a plain "OK".
describe.each(STORES)('an empty log, exported and verified, on %s', (_name, makeHandle) => {
  let logs: LedgerLogs;
  const EMPTY_TREE_ROOT = createHash('sha256').digest(); // RFC 6962 §2.1: MTH({}) = SHA-256()

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(makeHandle(), ['acme']);
    const store = await openStore(logs.location);
    try {
      await store.createTenant('quiet');
    } finally {
      await store.close();
    }
  }, 300_000);
  afterAll(() => logs?.cleanup());

  const header = { format: 'evidence-ledger/log-export/v1', tenant: 'quiet', origin: `${ORIGIN_PREFIX}/quiet`, treeSize: 0 };
  const write = (name: string, lines: unknown[]) => {
    const file = join(logs.dir, name);
    writeFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    return file;
  };
  const emptyCheckpoint = async (rootHash = EMPTY_TREE_ROOT) => {
    const signer = await LocalKeySigner.loadOrCreate(logs.keyFile, ORIGIN_PREFIX);
    return { checkpoint: await signCheckpoint({ origin: `${ORIGIN_PREFIX}/quiet`, treeSize: 0, rootHash, extensions: [] }, [signer]) };
  };
  const verifyExport = (file: string, ...extra: string[]) => cli(['verify-export', file, '--public-key', logs.publicKey, ...extra]);

  it('export refuses a tenant that has recorded nothing, saying its log is empty, and writes no file (exit 2)', async () => {
    const out = join(logs.dir, 'quiet.jsonl');
    const run = await cli(['export', '--store', logs.location, '--tenant', 'quiet', '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('tenant "quiet" has an empty log');
    expect(run.stderr).toContain('no entry is recorded yet');
    expect(existsSync(out)).toBe(false);
  });

  it('verify-log says the same of the empty log (exit 2), and still names a tenant that does not exist', async () => {
    const empty = await cli(['verify-log', '--store', logs.location, '--tenant', 'quiet', '--public-key', logs.publicKey]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('tenant "quiet" has an empty log');
    const typo = await cli(['verify-log', '--store', logs.location, '--tenant', 'acne', '--public-key', logs.publicKey]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('tenant "acne" has no log');
    expect(typo.stderr).toContain('tenants in this store: acme, quiet');
  });

  it('verify-export reports an empty file without a signed checkpoint as unverified (exit 1)', async () => {
    const run = await verifyExport(write('bare.jsonl', [header]));
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('FAILED at line 1: the file holds no signed checkpoint');
    expect(run.stdout).not.toContain('OK');
  });

  it('verify-export reports an empty log proven by a signed checkpoint of tree size 0 as EMPTY', async () => {
    const file = write('signed-empty.jsonl', [header, await emptyCheckpoint()]);
    const run = await verifyExport(file);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('OK: the log is EMPTY: it holds no entries; a signed checkpoint of tree size 0 verified');
    expect(run.stdout).not.toContain('every entry');
    const json = (await verifyExport(file, '--json')).json<{ ok: boolean; entries: number; verifiedTreeSize: number }>();
    expect(json).toMatchObject({ ok: true, entries: 0, verifiedTreeSize: 0 });
  });

  it('verify-export refuses a size-0 checkpoint whose root is not the empty tree hash (exit 1)', async () => {
    const run = await verifyExport(write('wrong-root.jsonl', [header, await emptyCheckpoint(Buffer.alloc(32, 7))]));
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('FAILED at line 2');
  });
});
