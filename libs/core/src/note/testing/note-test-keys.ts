import { createPrivateKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { ed25519KeyHash } from '../key-hash';
import { ed25519NoteVerifier, rawEd25519PublicKey } from '../ed25519-note-key';
import { NoteSigner, NoteVerifier } from '../note-signature';

// Published vectors of golang.org/x/mod/sumdb/note (note_test.go).
export const GO_VECTORS = {
  peterSignerKey: 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
  peterVerifierKey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  enochVerifierKey: 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop',
  text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
  peterSignatureLine: '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n',
  enochSignatureLine: '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n',
} as const;

// RFC 8410 §7: PKCS#8 DER of an Ed25519 private key = this prefix ‖ 32-byte seed.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface TestKey {
  readonly signer: NoteSigner;
  readonly verifier: NoteVerifier;
  readonly publicKey: Uint8Array;
}

// A note key from an Ed25519 private key, for tests.
export function testKeyFrom(name: string, privateKey: KeyObject): TestKey {
  const publicKey = rawEd25519PublicKey(privateKey);
  const keyHash = ed25519KeyHash(name, publicKey);
  return {
    signer: { name, keyHash, sign: async (message) => sign(null, message, privateKey) },
    verifier: ed25519NoteVerifier(name, publicKey),
    publicKey,
  };
}

// A fresh random note key.
export function generateTestKey(name: string): TestKey {
  return testKeyFrom(name, generateKeyPairSync('ed25519').privateKey);
}

// The signer of a Go `PRIVATE+KEY+<name>+<hash>+base64(0x01 ‖ seed)` string, checking that the
// key ID it states is the one derived from the seed's public key.
export function testKeyFromGoSignerKey(signerKey: string): TestKey {
  const [privateWord, keyWord, name, keyHashHex, encoded] = signerKey.split('+', 5);
  const rest = signerKey.slice([privateWord, keyWord, name, keyHashHex].join('+').length + 1);
  if (privateWord !== 'PRIVATE' || keyWord !== 'KEY' || encoded === undefined) {
    throw new Error(`not a Go signer key: ${signerKey}`);
  }
  const typedSeed = Buffer.from(rest, 'base64');
  if (typedSeed[0] !== 0x01 || typedSeed.length !== 33) throw new Error('not an Ed25519 seed');
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, typedSeed.subarray(1)]),
    format: 'der',
    type: 'pkcs8',
  });
  const key = testKeyFrom(name, privateKey);
  if (key.signer.keyHash !== parseInt(keyHashHex, 16)) throw new Error('key ID does not match the seed');
  return key;
}
