import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { cli, ensureCliBuilt } from './fixtures/cli-process';
import { appendBatches, createLedgerLogs, LedgerLogs, ORIGIN_PREFIX } from './fixtures/ledger-logs';

interface Report {
  ok: boolean;
  entries: number;
  keysLearned: string[];
  failure?: { code: string; treeSize?: number };
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('evidence-ledger signing-key show', () => {
  let logs: LedgerLogs;
  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(STORES[0][1](), ['acme']);
  }, 300_000);
  afterAll(() => logs?.cleanup());

  it('prints the key id, verifier key and public key, never the private key', async () => {
    const run = await cli(['signing-key', 'show', '--key-file', logs.keyFile, '--origin-prefix', ORIGIN_PREFIX]);
    expect(run.status).toBe(0);
    const signer = await LocalKeySigner.loadOrCreate(logs.keyFile, ORIGIN_PREFIX);
    expect(run.stdout).toContain(`key id        ${logs.keyId}\n`);
    expect(run.stdout).toContain(`verifier key  ${signer.verifierKey()}\n`);
    expect(run.stdout).toContain(signer.publicKeyPem());
    expect(run.stdout).not.toContain('PRIVATE');
  });

  it('does not create a key that is not there (exit 2)', async () => {
    const missing = join(logs.dir, 'none.pem');
    const run = await cli(['signing-key', 'show', '--key-file', missing]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^evidence-ledger: no signing key at .*none\.pem\n$/);
    expect(existsSync(missing)).toBe(false);
  });
});

describe.each(STORES)('evidence-ledger signing-key rotate on %s', (_name, makeHandle) => {
  let logs: LedgerLogs;
  let rotation: { status: number | null; stdout: string; stderr: string };
  let next: LocalKeySigner;

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(makeHandle(), ['acme', 'globex']);
    rotation = await cli(['signing-key', 'rotate', '--store', logs.location, '--key-file', logs.keyFile], { LEDGER_ORIGIN: ORIGIN_PREFIX });
    // The service restarts with the key now in the key file and carries on appending.
    next = await LocalKeySigner.loadOrCreate(logs.keyFile, ORIGIN_PREFIX);
    await appendBatches(logs.handle, next, ['acme', 'globex'], [10, 5]);
  }, 300_000);
  afterAll(() => logs?.cleanup());

  const verifyLog = (tenant: string, publicKey: string) =>
    cli(['verify-log', '--store', logs.location, '--tenant', tenant, '--public-key', publicKey, '--json']);

  it('prints both key ids and keeps the old private key beside the new one', () => {
    expect(rotation.stderr).toBe('');
    expect(rotation.status).toBe(0);
    expect(next.keyId).not.toBe(logs.keyId);
    expect(rotation.stdout).toContain(`previous key  ${logs.keyId}`);
    expect(rotation.stdout).toContain(`new key       ${next.keyId}`);
    expect(rotation.stdout).toContain('2 tenant log(s): acme, globex');
    const retired = `${logs.keyFile}.retired-${logs.keyId}`;
    expect(LocalKeySigner.fromPrivateKeyPem(readFileSync(retired, 'utf8'), ORIGIN_PREFIX).keyId).toBe(logs.keyId);
    expect(modeOf(retired)).toBe(0o600);
    expect(modeOf(logs.keyFile)).toBe(0o600);
    expect(readFileSync(`${logs.keyFile}.pub`, 'utf8')).toBe(next.publicKeyPem());
    expect(readFileSync(`${logs.keyFile}.vkey`, 'utf8')).toBe(`${next.verifierKey()}\n`);
    expect(existsSync(`${logs.keyFile}.next`)).toBe(false);
  });

  it.each(['acme', 'globex'])('lets the original public key verify %s across the rotation, learning the new key', async (tenant) => {
    const run = await verifyLog(tenant, logs.publicKey);
    expect(run.status).toBe(0);
    expect(run.json<Report>()).toMatchObject({ ok: true, entries: 100 + 1 + 15, keysLearned: [next.keyId] });
  });

  it('reports the learned key id in the readable output', async () => {
    const run = await cli(['verify-log', '--store', logs.location, '--tenant', 'acme', '--public-key', logs.publicKey]);
    expect(run.stdout).toMatch(new RegExp(`keys learned\\s+${next.keyId}\\n`));
  });

  it('does not let the new key alone vouch for checkpoints signed before it existed', async () => {
    const run = await verifyLog('acme', `${logs.keyFile}.pub`);
    expect(run.status).toBe(1);
    // The checkpoints before the rotation name only the old key.
    expect(run.json<Report>().failure).toMatchObject({ code: 'WRONG_KEY', treeSize: 20 });
  });

  it('checks a trusted checkpoint signed by the new key alone, with the original key, once the log taught it', async () => {
    const store = await logs.handle.open();
    const latest = await store.latestCheckpoint('acme').finally(() => store.close());
    const file = join(logs.dir, 'acme-latest.checkpoint');
    writeFileSync(file, latest!.note);
    const run = await cli([
      'verify-log',
      '--store',
      logs.location,
      '--tenant',
      'acme',
      '--public-key',
      logs.publicKey,
      '--trusted-checkpoint',
      file,
      '--json',
    ]);
    expect(run.status).toBe(0);
    expect(run.json<{ trustedCheckpoints: unknown[] }>().trustedCheckpoints).toEqual([{ source: file, treeSize: 116 }]);
  });

  it('carries the rotation into exports, which verify offline with the original key', async () => {
    const out = join(logs.dir, 'acme-rotated.jsonl');
    expect((await cli(['export', '--store', logs.location, '--tenant', 'acme', '--out', out])).status).toBe(0);
    const run = await cli(['verify-export', out, '--public-key', logs.publicKey, '--json']);
    expect(run.status).toBe(0);
    expect(run.json<Report>()).toMatchObject({ ok: true, keysLearned: [next.keyId] });
  });

  it('refuses to rotate under another origin prefix, saying which one the logs use', async () => {
    const before = readFileSync(logs.keyFile, 'utf8');
    const run = await cli(['signing-key', 'rotate', '--store', logs.location, '--key-file', logs.keyFile]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^evidence-ledger: tenant acme's checkpoints have origin "ledger\.test\/acme", not "evidence-ledger\.local\/acme"; pass --origin-prefix ledger\.test\n$/,
    );
    expect(readFileSync(logs.keyFile, 'utf8')).toBe(before);
  });

  it('refuses to rotate with a key that did not sign the logs', async () => {
    const stranger = join(logs.dir, 'stranger.pem');
    await LocalKeySigner.loadOrCreate(stranger, ORIGIN_PREFIX);
    const run = await cli(['signing-key', 'rotate', '--store', logs.location, '--key-file', stranger, '--origin-prefix', ORIGIN_PREFIX]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^evidence-ledger: the key in .*stranger\.pem did not sign tenant acme's latest checkpoint/);
    expect(existsSync(`${stranger}.next`)).toBe(false);
  });

  it('refuses a key file others can read', async () => {
    const loose = join(logs.dir, 'loose.pem');
    writeFileSync(loose, readFileSync(logs.keyFile), { mode: 0o644 });
    const run = await cli(['signing-key', 'rotate', '--store', logs.location, '--key-file', loose, '--origin-prefix', ORIGIN_PREFIX]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^evidence-ledger: private key file .*loose\.pem has mode 0644; .*chmod 600/);
  });
});
