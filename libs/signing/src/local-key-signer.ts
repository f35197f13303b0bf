import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { ed25519KeyHash, formatVerifierKey, rawEd25519PublicKey } from '@evidence-ledger/core';
import { createPrivateKeyFile, readPrivateKeyFile, replaceFileAtomically } from './private-key-file';
import { Signer } from './signer';
import { SigningError } from './signing-error';

// Ed25519 checkpoint key held in this process (node:crypto), loaded from or created in a
// PKCS#8 PEM file. The private key never leaves the object: it is in a private field, not
// enumerable, and not serialisable.
export class LocalKeySigner implements Signer {
  readonly keyHash: number;
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;

  private constructor(
    readonly name: string,
    privateKey: KeyObject,
  ) {
    this.#privateKey = privateKey;
    this.#publicKey = createPublicKey(privateKey);
    this.publicKey = rawEd25519PublicKey(this.#publicKey);
    this.keyHash = ed25519KeyHash(name, this.publicKey);
    this.keyId = createHash('sha256')
      .update(this.#publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex');
  }

  // The key in `keyFile`, created on first use (mode 0600, parent directories created,
  // written atomically); `<keyFile>.pub` (SPKI PEM) and `<keyFile>.vkey` (verifier key line)
  // are (re)written beside it for auditors. Refuses a key file group or others can access.
  // `noteName` is the key name in signature lines; it SHOULD be the log's checkpoint origin.
  static async loadOrCreate(keyFile: string, noteName: string): Promise<LocalKeySigner> {
    let pem = await readPrivateKeyFile(keyFile);
    if (pem === undefined) {
      const fresh = LocalKeySigner.generate(noteName);
      const created = await createPrivateKeyFile(keyFile, fresh.#privateKeyPem());
      pem = created ? fresh.#privateKeyPem() : await readPrivateKeyFile(keyFile);
      if (pem === undefined) throw new SigningError('KEY_FILE_UNAVAILABLE', `key file ${keyFile} vanished`);
    }
    const signer = LocalKeySigner.fromPrivateKeyPem(pem, noteName, keyFile);
    await signer.#writePublicFiles(keyFile);
    return signer;
  }

  // A fresh in-memory key, for tests and for loadOrCreate.
  static generate(noteName: string): LocalKeySigner {
    return new LocalKeySigner(noteName, generateKeyPairSync('ed25519').privateKey);
  }

  // A key from PKCS#8 PEM text; `source` names where it came from in errors.
  static fromPrivateKeyPem(pem: string, noteName: string, source = 'private key'): LocalKeySigner {
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey({ key: pem, format: 'pem' });
    } catch (cause) {
      throw new SigningError('KEY_FILE_INVALID', `${source} is not a PEM private key`, { cause });
    }
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new SigningError(
        'KEY_FILE_INVALID',
        `${source} is an ${privateKey.asymmetricKeyType} key; checkpoints are signed with Ed25519`,
      );
    }
    return new LocalKeySigner(noteName, privateKey);
  }

  // c2sp.org/signed-note "Ed25519 signatures": RFC 8032 pure Ed25519 over the note text.
  async sign(message: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(sign(null, message, this.#privateKey));
  }

  publicKeyPem(): string {
    return this.#publicKey.export({ type: 'spki', format: 'pem' }) as string;
  }

  verifierKey(): string {
    return formatVerifierKey(this.name, this.publicKey);
  }

  toJSON(): object {
    return { name: this.name, keyHash: this.keyHash, keyId: this.keyId, verifierKey: this.verifierKey() };
  }

  #privateKeyPem(): string {
    return this.#privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  }

  async #writePublicFiles(keyFile: string): Promise<void> {
    await writeIfChanged(`${keyFile}.pub`, this.publicKeyPem());
    await writeIfChanged(`${keyFile}.vkey`, `${this.verifierKey()}\n`);
  }
}

async function writeIfChanged(path: string, contents: string): Promise<void> {
  const current = await fs.readFile(path, 'utf8').catch(() => undefined);
  if (current !== contents) await replaceFileAtomically(path, contents, 0o644);
}
