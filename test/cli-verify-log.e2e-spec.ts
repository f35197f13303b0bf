import { STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { cli, ensureCliBuilt } from './fixtures/cli-process';
import { CHECKPOINT_SIZES, createLedgerLogs, LedgerLogs, LOG_SIZE } from './fixtures/ledger-logs';
import { alterRootLine, alterSignature, flipByte, openTamper, StoreTamper, swapEntries } from './fixtures/store-tamper';

interface Report {
  ok: boolean;
  entries: number;
  checkpoints: number;
  verifiedTreeSize: number;
  verifiedRootHash?: string;
  keysLearned: string[];
  failure?: { code: string; sequence?: number; treeSize?: number; message: string };
}

/** One tenant per kind of damage, all in one database; `intact` stays untouched. */
const TAMPERING: [string, (t: StoreTamper, tenant: string) => Promise<void>, Partial<NonNullable<Report['failure']>>][] = [
  [
    'a flipped byte in an entry payload',
    async (t, tenant) => {
      const { canonical } = await t.readEntry(tenant, 41);
      await t.writeEntry(tenant, 41, { canonical: flipByte(canonical, canonical.indexOf('claude-sonnet')) });
    },
    { code: 'LEAF_HASH_MISMATCH', sequence: 41 },
  ],
  [
    'a changed stored leaf hash',
    async (t, tenant) => t.writeEntry(tenant, 7, { leaf_hash: flipByte((await t.readEntry(tenant, 7)).leaf_hash, 31) }),
    { code: 'LEAF_HASH_MISMATCH', sequence: 7 },
  ],
  [
    'a changed stored chain hash',
    async (t, tenant) => t.writeEntry(tenant, 63, { chain_hash: flipByte((await t.readEntry(tenant, 63)).chain_hash, 0) }),
    { code: 'CHAIN_HASH_MISMATCH', sequence: 63 },
  ],
  ['a row deleted in the middle', async (t, tenant) => t.deleteEntries(tenant, 50, 51), { code: 'ENTRY_MISSING', sequence: 50 }],
  ['two rows swapped', async (t, tenant) => swapEntries(t, tenant, 77, 30), { code: 'SEQUENCE_MISMATCH', sequence: 30 }],
  [
    'a flipped byte in a checkpoint root line',
    async (t, tenant) => t.writeCheckpoint(tenant, 58, alterRootLine(await t.readCheckpoint(tenant, 58))),
    { code: 'CHECKPOINT_UNVERIFIED', treeSize: 58 },
  ],
  [
    'a flipped byte in a checkpoint signature',
    async (t, tenant) => t.writeCheckpoint(tenant, 21, alterSignature(await t.readCheckpoint(tenant, 21))),
    { code: 'CHECKPOINT_UNVERIFIED', treeSize: 21 },
  ],
  // Entry 63 (binary 111111) holds the nodes of levels 1..6; byte 40 is in the level-2 node.
  [
    'a flipped byte in a stored Merkle node',
    async (t, tenant) => t.writeEntry(tenant, 63, { nodes: flipByte((await t.readEntry(tenant, 63)).nodes, 40) }),
    { code: 'MERKLE_NODE_MISMATCH', sequence: 63 },
  ],
  [
    'the tail rows under the last checkpoint deleted',
    async (t, tenant) => t.deleteEntries(tenant, 80, LOG_SIZE),
    { code: 'CHECKPOINT_BEYOND_LOG', sequence: 80, treeSize: 100 },
  ],
];

const tenantFor = (i: number) => `tampered-${i}`;

describe.each(STORES)('evidence-ledger verify-log on %s', (_name, makeHandle) => {
  let logs: LedgerLogs;

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(makeHandle(), ['intact', ...TAMPERING.map((_, i) => tenantFor(i))]);
    const tamper = await openTamper(logs.handle);
    try {
      for (const [i, [, damage]] of TAMPERING.entries()) await damage(tamper, tenantFor(i));
    } finally {
      await tamper.close();
    }
  }, 300_000);
  afterAll(() => logs?.cleanup());

  const verifyLog = (tenant: string, ...extra: string[]) =>
    cli(['verify-log', '--store', logs.location, '--tenant', tenant, '--public-key', logs.publicKey, ...extra]);

  it('passes an untouched log and reports what it checked', async () => {
    const run = await verifyLog('intact', '--json');
    expect(run.status).toBe(0);
    const report = run.json<Report>();
    expect(report).toMatchObject({
      ok: true,
      entries: LOG_SIZE,
      checkpoints: CHECKPOINT_SIZES.length,
      verifiedTreeSize: LOG_SIZE,
      keysLearned: [],
    });
    expect(Buffer.from(report.verifiedRootHash ?? '', 'base64')).toHaveLength(32);
    expect(report.failure).toBeUndefined();
  });

  it('prints a readable summary by default', async () => {
    const run = await verifyLog('intact');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/entries\s+100\n/);
    expect(run.stdout).toMatch(/checkpoints\s+5\n/);
    expect(run.stdout).toMatch(/verified tree size\s+100\n/);
    expect(run.stdout).toMatch(/root hash\s+[A-Za-z0-9+/]{43}=\n/);
    expect(run.stdout).toMatch(/keys learned\s+none\n/);
    expect(run.stdout).toMatch(/speed\s+[\d,]+ entries\/s/);
    expect(run.stdout).toContain('OK: ');
  });

  it.each(TAMPERING.map(([what, , expected], i) => [what, i, expected] as const))(
    'reports %s at the exact place (exit 1)',
    async (_what, i, expected) => {
      const run = await verifyLog(tenantFor(i), '--json');
      expect(run.status).toBe(1);
      const report = run.json<Report>();
      expect(report.ok).toBe(false);
      expect(report.failure).toMatchObject(expected);
    },
  );

  it('names the first bad sequence in the readable output', async () => {
    const run = await verifyLog(tenantFor(0));
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAILED at sequence 41: stored leaf hash \S+ is not the hash of its bytes/m);
  });

  it('names the checkpoint of a bad signature in the readable output', async () => {
    const run = await verifyLog(tenantFor(5));
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAILED at checkpoint of tree size 58: signature by trusted key \S+ does not verify/m);
  });

  it('checks the origin only when asked, and then strictly', async () => {
    expect((await verifyLog('intact', '--origin', 'ledger.test/intact')).status).toBe(0);
    const run = await verifyLog('intact', '--origin', 'ledger.test/other', '--json');
    expect(run.status).toBe(1);
    expect(run.json<Report>().failure).toMatchObject({ code: 'CHECKPOINT_ORIGIN_MISMATCH', treeSize: 20 });
  });

  it('takes the store from LEDGER_STORE when --store is omitted', async () => {
    const run = await cli(['verify-log', '--tenant', 'intact', '--public-key', logs.publicKey], { LEDGER_STORE: logs.location });
    expect(run.status).toBe(0);
  });

  it('fails with a key that did not sign the log (exit 1)', async () => {
    const { LocalKeySigner } = await import('@evidence-ledger/signing');
    const { writeFileSync } = await import('node:fs');
    const stranger = `${logs.dir}/stranger.pub`;
    writeFileSync(stranger, LocalKeySigner.generate('ledger.test').publicKeyPem());
    const run = await cli(['verify-log', '--store', logs.location, '--tenant', 'intact', '--public-key', stranger, '--json']);
    expect(run.status).toBe(1);
    expect(run.json<Report>().failure).toMatchObject({ code: 'WRONG_KEY', treeSize: 20 });
    expect(run.json<Report>().failure?.message).toMatch(
      /^signed by key ledger\.test\+[0-9a-f]{8}, not by the key given \(ledger\.test\+[0-9a-f]{8}\)$/,
    );
  });
});
