import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Checkpoint, openCheckpoint, parseVerifierKey, signCheckpoint } from '@evidence-ledger/core';
import { LocalKeySigner } from './local-key-signer';
import { readVerifiers } from './public-key-file';

const ORIGIN = 'ledger.example/acme';
const posixOnly = process.platform === 'win32' ? it.skip : it;

function checkpoint(treeSize = 7): Checkpoint {
  return {
    origin: ORIGIN,
    treeSize,
    rootHash: createHash('sha256').update(`root ${treeSize}`).digest(),
    extensions: [],
  };
}

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'local-key-signer-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await fs.stat(path)).mode & 0o777;

describe('LocalKeySigner.loadOrCreate', () => {
  posixOnly('creates the key on first use, readable by its owner only, with parent directories', async () => {
    const keyFile = join(dir, 'nested', 'keys', 'checkpoint.pem');
    await LocalKeySigner.loadOrCreate(keyFile, ORIGIN);
    expect(await modeOf(keyFile)).toBe(0o600);
    expect(await fs.readFile(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('writes the public key beside it as PEM and as a verifier key line', async () => {
    const keyFile = join(dir, 'checkpoint.pem');
    const signer = await LocalKeySigner.loadOrCreate(keyFile, ORIGIN);
    expect(await fs.readFile(`${keyFile}.pub`, 'utf8')).toBe(signer.publicKeyPem());
    expect(await fs.readFile(`${keyFile}.vkey`, 'utf8')).toBe(`${signer.verifierKey()}\n`);
    expect(signer.publicKeyPem()).not.toContain('PRIVATE');
  });

  it('loads the same key again on the next start', async () => {
    const keyFile = join(dir, 'checkpoint.pem');
    const first = await LocalKeySigner.loadOrCreate(keyFile, ORIGIN);
    const second = await LocalKeySigner.loadOrCreate(keyFile, ORIGIN);
    expect(second.keyId).toBe(first.keyId);
    expect(second.verifierKey()).toBe(first.verifierKey());
  });

  it('gives every concurrent caller the same key and leaves no temp files behind', async () => {
    const keyFile = join(dir, 'checkpoint.pem');
    const signers = await Promise.all(Array.from({ length: 8 }, () => LocalKeySigner.loadOrCreate(keyFile, ORIGIN)));
    expect(new Set(signers.map((s) => s.keyId)).size).toBe(1);
    expect((await fs.readdir(dir)).sort()).toEqual(['checkpoint.pem', 'checkpoint.pem.pub', 'checkpoint.pem.vkey']);
  });

  posixOnly.each([0o644, 0o640, 0o604, 0o620])('refuses a key file with mode %o', async (mode) => {
    const keyFile = join(dir, 'checkpoint.pem');
    await LocalKeySigner.loadOrCreate(keyFile, ORIGIN);
    await fs.chmod(keyFile, mode);
    await expect(LocalKeySigner.loadOrCreate(keyFile, ORIGIN)).rejects.toMatchObject({
      code: 'KEY_FILE_INSECURE',
      message: expect.stringContaining('chmod 600'),
    });
  });

  it('refuses a key file that is not an Ed25519 private key', async () => {
    const keyFile = join(dir, 'checkpoint.pem');
    const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    await fs.writeFile(keyFile, ecKey, { mode: 0o600 });
    await expect(LocalKeySigner.loadOrCreate(keyFile, ORIGIN)).rejects.toMatchObject({ code: 'KEY_FILE_INVALID' });
    await fs.writeFile(keyFile, 'not a key', { mode: 0o600 });
    await expect(LocalKeySigner.loadOrCreate(keyFile, ORIGIN)).rejects.toMatchObject({ code: 'KEY_FILE_INVALID' });
  });

  it('refuses an invalid note key name', async () => {
    await expect(LocalKeySigner.loadOrCreate(join(dir, 'k.pem'), 'has space')).rejects.toMatchObject({
      code: 'KEY_MALFORMED',
    });
  });
});

describe('LocalKeySigner', () => {
  it('identifies its key by the hex SHA-256 of the SPKI DER public key', () => {
    const signer = LocalKeySigner.generate(ORIGIN);
    const der = createPublicKey(signer.publicKeyPem()).export({ type: 'spki', format: 'der' });
    expect(signer.keyId).toBe(createHash('sha256').update(der).digest('hex'));
    expect(signer.publicKey).toHaveLength(32);
  });

  it('signs checkpoints that verify with its exported verifier key', async () => {
    const signer = LocalKeySigner.generate(ORIGIN);
    const note = await signCheckpoint(checkpoint(), [signer]);
    const opened = openCheckpoint(note, [parseVerifierKey(signer.verifierKey())]);
    expect(opened.checkpoint.treeSize).toBe(7);
    expect(opened.verifiedBy[0].keyHash).toBe(signer.keyHash);
  });

  it('signs checkpoints that verify with the .pub and .vkey files it wrote', async () => {
    const keyFile = join(dir, 'checkpoint.pem');
    const signer = await LocalKeySigner.loadOrCreate(keyFile, ORIGIN);
    const note = await signCheckpoint(checkpoint(), [signer]);
    expect(openCheckpoint(note, await readVerifiers(`${keyFile}.pub`)).checkpoint.origin).toBe(ORIGIN);
    expect(openCheckpoint(note, await readVerifiers(`${keyFile}.vkey`)).checkpoint.origin).toBe(ORIGIN);
  });

  it('signs checkpoints that another key cannot open', async () => {
    const note = await signCheckpoint(checkpoint(), [LocalKeySigner.generate(ORIGIN)]);
    const stranger = LocalKeySigner.generate(ORIGIN);
    expect(() => openCheckpoint(note, [parseVerifierKey(stranger.verifierKey())])).toThrow(
      expect.objectContaining({ code: 'NOTE_UNVERIFIED' }),
    );
  });

  it('never shows its private key when logged or serialised', () => {
    const signer = LocalKeySigner.generate(ORIGIN);
    expect(JSON.stringify(signer)).not.toMatch(/PRIVATE/);
    expect(Object.keys(signer)).not.toContain('privateKey');
  });
});
