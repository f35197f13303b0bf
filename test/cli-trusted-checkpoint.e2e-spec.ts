import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatKeyHash } from '@evidence-ledger/core';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { digestApiKey } from '../libs/ledger/src/credentials/api-key-secret';
import { Ledger } from '../libs/ledger/src/ledger';
import { modelInvocation } from '../libs/ledger/src/testing/events';
import { STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { cli, ensureCliBuilt } from './fixtures/cli-process';
import { ExportFile } from './fixtures/export-file';
import { alterSignature, openTamper, rollBack } from './fixtures/store-tamper';
import { appendBatches, createLedgerLogs, LedgerLogs, LOG_SIZE, ORIGIN_PREFIX } from './fixtures/ledger-logs';

interface Report {
  ok: boolean;
  entries: number;
  verifiedTreeSize: number;
  trustedCheckpoints: { source: string; treeSize: number }[];
  failure?: { code: string; sequence?: number; treeSize?: number; line?: number; message: string };
}

// The attack: a log cut back to an earlier checkpointed size with its head fixed verifies on
// its own; a checkpoint the auditor saw before (--trusted-checkpoint) shows it lost entries.
describe.each(STORES)('--trusted-checkpoint and wrong keys: verify-log on %s', (_name, makeHandle) => {
  let logs: LedgerLogs;
  const file = (name: string) => join(logs.dir, name);

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(makeHandle(), ['intact', 'rolled', 'forked', 'resigned']);
    const tamper = await openTamper(logs.handle);
    try {
      // What an auditor kept from an earlier look at each log.
      for (const tenant of ['intact', 'rolled', 'forked'])
        writeFileSync(file(`${tenant}-100.note`), await tamper.readCheckpoint(tenant, 100));
      writeFileSync(file('intact-58.json'), JSON.stringify({ sequence: 57, checkpoint: await tamper.readCheckpoint('intact', 58) }));
      writeFileSync(file('intact-58-altered.note'), alterSignature(await tamper.readCheckpoint('intact', 58)));
      await rollBack(tamper, 'rolled', 58, LOG_SIZE);
      await rollBack(tamper, 'forked', 58, LOG_SIZE);
    } finally {
      await tamper.close();
    }
    // The forked log grows back to 100 entries — other ones — signed by the ledger's own key.
    await appendBatches(logs.handle, await LocalKeySigner.loadOrCreate(logs.keyFile, ORIGIN_PREFIX), ['forked'], [15, 27]);
  }, 300_000);
  afterAll(() => logs?.cleanup());

  const verifyLog = (tenant: string, ...extra: string[]) =>
    cli(['verify-log', '--store', logs.location, '--tenant', tenant, '--public-key', logs.publicKey, ...extra]);

  it('passes a log cut back with its head fixed when given nothing to compare with', async () => {
    const run = await verifyLog('rolled', '--json');
    expect(run.status).toBe(0);
    expect(run.json<Report>()).toMatchObject({ ok: true, entries: 58, verifiedTreeSize: 58 });
  });

  it('fails that log against a checkpoint seen before it was cut, naming the checkpoint (exit 1)', async () => {
    const run = await verifyLog('rolled', '--trusted-checkpoint', file('rolled-100.note'), '--json');
    expect(run.status).toBe(1);
    const { failure } = run.json<Report>();
    expect(failure).toMatchObject({ code: 'LOG_ROLLED_BACK', treeSize: 100 });
    expect(failure?.message).toContain(`before the trusted checkpoint ${file('rolled-100.note')} at tree size 100`);
    const text = await verifyLog('rolled', '--trusted-checkpoint', file('rolled-100.note'));
    expect(text.stdout).toMatch(
      /^FAILED: the log ends at tree size 58, before the trusted checkpoint \S+rolled-100\.note at tree size 100/m,
    );
  });

  it('fails a log rewritten past a trusted checkpoint, though every entry and checkpoint in it verifies', async () => {
    expect((await verifyLog('forked')).status).toBe(0);
    const run = await verifyLog('forked', '--trusted-checkpoint', file('forked-100.note'), '--json');
    expect(run.status).toBe(1);
    expect(run.json<Report>().failure).toMatchObject({ code: 'LOG_FORKED', treeSize: 100 });
  });

  it('passes a log that extends every trusted checkpoint, read from a note or a receipt, and says so', async () => {
    const args = ['--trusted-checkpoint', file('intact-58.json'), '--trusted-checkpoint', file('intact-100.note')];
    const run = await verifyLog('intact', ...args, '--json');
    expect(run.status).toBe(0);
    expect(run.json<Report>().trustedCheckpoints).toEqual([
      { source: file('intact-58.json'), treeSize: 58 },
      { source: file('intact-100.note'), treeSize: 100 },
    ]);
    expect((await verifyLog('intact', ...args)).stdout).toMatch(/trusted checkpoint\s+\S+intact-58\.json \(tree size 58\): extended\n/);
  });

  it('fails on a trusted checkpoint that is not signed by the key, or is of another log', async () => {
    const altered = await verifyLog('intact', '--trusted-checkpoint', file('intact-58-altered.note'), '--json');
    expect(altered.status).toBe(1);
    expect(altered.json<Report>().failure).toMatchObject({ code: 'TRUSTED_CHECKPOINT_UNVERIFIED' });
    expect(altered.json<Report>().failure?.message).toMatch(/^trusted checkpoint \S+intact-58-altered\.note: signature by trusted key/);
    const foreign = await verifyLog('intact', '--trusted-checkpoint', file('rolled-100.note'), '--json');
    expect(foreign.status).toBe(1);
    expect(foreign.json<Report>().failure?.message).toMatch(/is for log "ledger\.test\/rolled", not "ledger\.test\/intact"/);
  });

  it('refuses a file that is not a checkpoint, or is missing, as a usage error (exit 2)', async () => {
    writeFileSync(file('garbage.note'), 'not a checkpoint\n');
    const garbage = await verifyLog('intact', '--trusted-checkpoint', file('garbage.note'));
    expect(garbage.status).toBe(2);
    expect(garbage.stderr).toMatch(/^evidence-ledger: --trusted-checkpoint: \S+garbage\.note is not a signed checkpoint/);
    expect((await verifyLog('intact', '--trusted-checkpoint', file('missing.note'))).status).toBe(2);
  });

  it('says first that the log was signed by another key, naming both, rather than reporting tampering', async () => {
    const stranger = LocalKeySigner.generate(ORIGIN_PREFIX);
    writeFileSync(file('stranger.pub'), stranger.publicKeyPem());
    const signer = await LocalKeySigner.loadOrCreate(logs.keyFile, ORIGIN_PREFIX);
    const run = await cli(['verify-log', '--store', logs.location, '--tenant', 'intact', '--public-key', file('stranger.pub')]);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe(
      `FAILED: signed by key ${ORIGIN_PREFIX}+${formatKeyHash(signer.keyHash)}, not by the key given (${ORIGIN_PREFIX}+${formatKeyHash(stranger.keyHash)})`,
    );
    expect(run.stdout.match(/FAILED/g)).toHaveLength(1);
    const json = await cli(['verify-log', '--store', logs.location, '--tenant', 'intact', '--public-key', file('stranger.pub'), '--json']);
    expect(json.json<Report>().failure).toMatchObject({ code: 'WRONG_KEY', treeSize: 20 });
  });
});

describe('--trusted-checkpoint and wrong keys: verify-export', () => {
  let logs: LedgerLogs;
  const file = (name: string) => join(logs.dir, name);

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(STORES[0][1](), ['acme']);
    expect((await cli(['export', '--store', logs.location, '--tenant', 'acme', '--out', file('acme.jsonl')])).status).toBe(0);
    const full = ExportFile.read(file('acme.jsonl'));
    writeFileSync(file('acme-100.note'), String(full.parsed(full.checkpointLine(100)).checkpoint));
    // The export cut back the same way: every line after the checkpoint of 58 gone, header fixed.
    const cut = [JSON.stringify({ ...full.header, treeSize: 58 }), ...full.lines.slice(1, full.checkpointLine(58))];
    writeFileSync(file('acme-cut.jsonl'), `${cut.join('\n')}\n`);
  }, 300_000);
  afterAll(() => logs?.cleanup());

  const verifyExport = (path: string, ...extra: string[]) => cli(['verify-export', path, '--public-key', logs.publicKey, ...extra]);

  it('passes the cut export alone, and fails it against the checkpoint seen before (exit 1)', async () => {
    expect((await verifyExport(file('acme-cut.jsonl'))).status).toBe(0);
    const run = await verifyExport(file('acme-cut.jsonl'), '--trusted-checkpoint', file('acme-100.note'), '--json');
    expect(run.status).toBe(1);
    expect(run.json<Report>().failure).toMatchObject({ code: 'LOG_ROLLED_BACK', treeSize: 100 });
    expect(run.json<Report>().failure?.message).toContain(file('acme-100.note'));
  });

  it('passes the whole export against it', async () => {
    const run = await verifyExport(file('acme.jsonl'), '--trusted-checkpoint', file('acme-100.note'), '--json');
    expect(run.status).toBe(0);
    expect(run.json<Report>().trustedCheckpoints).toEqual([{ source: file('acme-100.note'), treeSize: 100 }]);
  });

  it('names both keys first when given the wrong one', async () => {
    writeFileSync(file('stranger.pub'), LocalKeySigner.generate(ORIGIN_PREFIX).publicKeyPem());
    const run = await cli(['verify-export', file('acme.jsonl'), '--public-key', file('stranger.pub')]);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')[0]).toMatch(
      /^FAILED: signed by key ledger\.test\+[0-9a-f]{8}, not by the key given \(ledger\.test\+[0-9a-f]{8}\)$/,
    );
  });
});

describe('--trusted-checkpoint and wrong keys: archive verify', () => {
  let logs: LedgerLogs;
  const file = (name: string) => join(logs.dir, name);
  const verify = (...args: string[]) =>
    cli(['archive', 'verify', '--store', logs.location, '--archive', file('archive'), '--public-key', logs.publicKey, ...args]);

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(STORES[0][1](), ['acme']);
    const seal = await cli(['archive', 'seal', '--store', logs.location, '--archive', file('archive'), '--tenant', 'acme', '--to', '58']);
    expect(seal.status).toBe(0);
    const tamper = await openTamper(logs.handle);
    try {
      writeFileSync(file('acme-100.note'), await tamper.readCheckpoint('acme', 100));
      // The live log cut back to where the archive ends: the two still agree.
      await rollBack(tamper, 'acme', 58, LOG_SIZE);
    } finally {
      await tamper.close();
    }
  }, 300_000);
  afterAll(() => logs?.cleanup());

  it('passes an archive and a live log both ending before a checkpoint seen, unless it is given (exit 1)', async () => {
    expect((await verify('--tenant', 'acme')).status).toBe(0);
    const run = await verify('--trusted-checkpoint', file('acme-100.note'), '--json');
    expect(run.status).toBe(1);
    const [tenant] = run.json<{ tenants: { failure?: Report['failure'] }[] }>().tenants;
    expect(tenant.failure).toMatchObject({ code: 'LOG_ROLLED_BACK', treeSize: 100 });
    expect(tenant.failure?.message).toContain(file('acme-100.note'));
  });

  it('names both keys on the first line when given the wrong one', async () => {
    writeFileSync(file('stranger.pub'), LocalKeySigner.generate(ORIGIN_PREFIX).publicKeyPem());
    const run = await cli([
      'archive',
      'verify',
      '--store',
      logs.location,
      '--archive',
      file('archive'),
      '--public-key',
      file('stranger.pub'),
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')[0]).toMatch(
      /^FAILED: tenant acme's archive was signed by key ledger\.test\+[0-9a-f]{8}, not by the key given \(ledger\.test\+[0-9a-f]{8}\)$/,
    );
  });
});

describe('evidence-ledger verify-receipt', () => {
  let logs: LedgerLogs;
  const file = (name: string) => join(logs.dir, name);
  const apiKey = 'elk_tour-producer-key-0123456789abcdef0123456789';
  const events = [modelInvocation(), modelInvocation()];

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(STORES[0][1](), ['acme']);
    const store = await logs.handle.open();
    const ledger = new Ledger({
      store,
      signer: await LocalKeySigner.loadOrCreate(logs.keyFile, ORIGIN_PREFIX),
      originPrefix: ORIGIN_PREFIX,
    });
    try {
      const appended = await ledger.append('acme', digestApiKey(apiKey).id, events);
      writeFileSync(file('receipts.json'), JSON.stringify(appended.map((a) => a.receipt)));
      writeFileSync(file('receipt.json'), JSON.stringify(appended[0].receipt));
      writeFileSync(file('events.json'), JSON.stringify(events));
      writeFileSync(file('event.json'), JSON.stringify(events[0]));
    } finally {
      await ledger.close();
      await store.close();
    }
  }, 300_000);
  afterAll(() => logs?.cleanup());

  const verifyReceipt = (...args: string[]) => cli(['verify-receipt', ...args]);

  it('verifies a receipt offline: checkpoint and inclusion proof, and says the event itself was not checked', async () => {
    const run = await verifyReceipt(file('receipt.json'), '--public-key', logs.publicKey);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^OK {6}event \S+ {2}sequence 100 in ledger\.test\/acme #102: checkpoint signed by the key, inclusion proof leads to its root\n/,
    );
    expect(run.stdout).toContain('The leaf hash was not checked against your event: give --event and --api-key for that.');
  });

  it('proves a batch of receipts are the events posted with the key, and fails them for another key or event (exit 1)', async () => {
    const run = await verifyReceipt(
      file('receipts.json'),
      '--event',
      file('events.json'),
      '--api-key',
      apiKey,
      '--public-key',
      logs.publicKey,
      '--json',
    );
    expect(run.status).toBe(0);
    expect(run.json()).toMatchObject({
      ok: true,
      receipts: [
        { sequence: 100, eventChecked: true },
        { sequence: 101, eventChecked: true },
      ],
    });
    const otherKey = await verifyReceipt(
      file('receipt.json'),
      '--event',
      file('event.json'),
      '--api-key',
      `${apiKey}x`,
      '--public-key',
      logs.publicKey,
    );
    expect(otherKey.status).toBe(1);
    expect(otherKey.stdout).toMatch(
      /^FAILED {2}event \S+ {2}sequence 100 in ledger\.test\/acme #102: its leaf hash is not the hash of the event that was sent/,
    );
  });

  it('fails a receipt whose proof was altered, and names both keys first for a wrong key', async () => {
    const receipt = JSON.parse(readFileSync(file('receipt.json'), 'utf8')) as { inclusionProof: { hashes: string[] } };
    receipt.inclusionProof.hashes[0] = Buffer.alloc(32, 7).toString('base64');
    writeFileSync(file('altered.json'), JSON.stringify(receipt));
    const altered = await verifyReceipt(file('altered.json'), '--public-key', logs.publicKey);
    expect(altered.status).toBe(1);
    expect(altered.stdout).toMatch(/its inclusion proof does not lead from its leaf hash to the checkpoint root/);
    writeFileSync(file('stranger.pub'), LocalKeySigner.generate(ORIGIN_PREFIX).publicKeyPem());
    const wrong = await verifyReceipt(file('receipt.json'), '--public-key', file('stranger.pub'));
    expect(wrong.status).toBe(1);
    expect(wrong.stdout.split('\n')[0]).toMatch(
      /^FAILED: signed by key ledger\.test\+[0-9a-f]{8}, not by the key given \(ledger\.test\+[0-9a-f]{8}\)$/,
    );
  });

  it('refuses what is not a receipt, and --event without --api-key (exit 2)', async () => {
    const notReceipt = await verifyReceipt(file('event.json'), '--public-key', logs.publicKey);
    expect(notReceipt.status).toBe(2);
    expect(notReceipt.stderr).toMatch(/event\.json is not a receipt: expected id, sequence, leafHash, checkpoint and inclusionProof/);
    expect((await verifyReceipt(file('receipt.json'), '--event', file('event.json'), '--public-key', logs.publicKey)).status).toBe(2);
  });
});

describe('evidence-ledger --help', () => {
  beforeAll(() => ensureCliBuilt(), 300_000);

  it('says LEDGER_URL and LEDGER_API_KEY serve every command that calls the service, and lists verify-receipt', async () => {
    const run = await cli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'LEDGER_URL     default for --url (keys, record, integrations, replay, pack, demo; else http://localhost:3000)',
    );
    expect(run.stdout).toContain('LEDGER_API_KEY default for --api-key (keys, record, integrations, replay, pack, demo)');
    expect(run.stdout).toMatch(/^ {2}verify-receipt /m);
    expect((await cli(['verify-log', '--help'])).stdout).toContain('--trusted-checkpoint <file>');
  });
});
