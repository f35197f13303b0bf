import { createHash, generateKeyPairSync } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Checkpoint, isNoteKeyMatcher, openCheckpoint, signCheckpoint } from '@evidence-ledger/core';
import { LocalKeySigner } from './local-key-signer';
import { parsePublicKeys, readVerifiers } from './public-key-file';

const ORIGIN = 'ledger.example/acme';
const CHECKPOINT: Checkpoint = {
  origin: ORIGIN,
  treeSize: 3,
  rootHash: createHash('sha256').update('root').digest(),
  extensions: [],
};

describe('public key files', () => {
  it('reads several PEM keys and vkey lines, skipping blank lines and comments', () => {
    const a = LocalKeySigner.generate(ORIGIN);
    const b = LocalKeySigner.generate(ORIGIN);
    const c = LocalKeySigner.generate('other.example/log');
    const text = `# ledger keys\n${a.publicKeyPem()}\n${b.publicKeyPem()}\n${c.verifierKey()}\n\n`;
    const keys = parsePublicKeys(text);
    expect(keys).toHaveLength(3);
    expect(keys.map((k) => isNoteKeyMatcher(k))).toEqual([true, true, false]);
  });

  it('opens a checkpoint signed by any of the keys in the file, rotated keys included', async () => {
    const oldKey = LocalKeySigner.generate(ORIGIN);
    const newKey = LocalKeySigner.generate(ORIGIN);
    const trusted = parsePublicKeys(`${oldKey.publicKeyPem()}${newKey.verifierKey()}\n`);
    for (const signer of [oldKey, newKey]) {
      const note = await signCheckpoint(CHECKPOINT, [signer]);
      expect(openCheckpoint(note, trusted).verifiedBy[0].keyHash).toBe(signer.keyHash);
    }
  });

  it('binds PEM keys to the default name when one is given', async () => {
    const signer = LocalKeySigner.generate(ORIGIN);
    const [key] = parsePublicKeys(signer.publicKeyPem(), ORIGIN);
    expect(isNoteKeyMatcher(key)).toBe(false);
    expect(key).toMatchObject({ name: ORIGIN, keyHash: signer.keyHash });
    const underOtherName = parsePublicKeys(signer.publicKeyPem(), 'other.example/log');
    const note = await signCheckpoint(CHECKPOINT, [signer]);
    expect(() => openCheckpoint(note, underOtherName)).toThrow(expect.objectContaining({ code: 'NOTE_UNVERIFIED' }));
  });

  it('accepts Windows line endings', () => {
    const signer = LocalKeySigner.generate(ORIGIN);
    expect(parsePublicKeys(`${signer.publicKeyPem()}${signer.verifierKey()}\n`.replace(/\n/g, '\r\n'))).toHaveLength(2);
  });

  it('refuses a private key with a message that says so', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(() => parsePublicKeys(pem, undefined, 'keys.pem')).toThrow(/keys\.pem:1: this is a private key/);
  });

  it('refuses a non-Ed25519 public key', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
    expect(() => parsePublicKeys(pem as string)).toThrow(expect.objectContaining({ code: 'KEY_MALFORMED' }));
  });

  it('names the line of a malformed entry', () => {
    const signer = LocalKeySigner.generate(ORIGIN);
    const text = `${signer.verifierKey()}\nnot-a-key\n`;
    expect(() => parsePublicKeys(text, undefined, 'trusted.keys')).toThrow(/trusted\.keys:2: malformed verifier key/);
  });

  it('refuses an unterminated PEM block and a file without keys', () => {
    const pem = LocalKeySigner.generate(ORIGIN).publicKeyPem();
    expect(() => parsePublicKeys(pem.replace('-----END PUBLIC KEY-----', ''))).toThrow(/no END line/);
    expect(() => parsePublicKeys('# nothing here\n\n')).toThrow(/no public keys/);
  });

  it('reports a missing file as unavailable', async () => {
    const missing = join(tmpdir(), `no-such-dir-${process.pid}`, 'keys.pub');
    await expect(readVerifiers(missing)).rejects.toMatchObject({ code: 'KEY_FILE_UNAVAILABLE' });
  });

  it('reads a file from disk', async () => {
    const dir = await fs.mkdtemp(join(tmpdir(), 'public-key-file-'));
    try {
      const signer = LocalKeySigner.generate(ORIGIN);
      await fs.writeFile(join(dir, 'ledger.pub'), signer.publicKeyPem());
      expect(await readVerifiers(join(dir, 'ledger.pub'))).toHaveLength(1);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
