import { NoteError } from '../errors/note-error';
import { sha256 } from '../hashing/sha256';
import { assertValidKeyName } from './key-name';

// c2sp.org/signed-note "Signature types": the identifier byte of Ed25519 note signatures.
export const SIGNATURE_TYPE_ED25519 = 0x01;

// RFC 8032: an Ed25519 public key is 32 bytes.
export const ED25519_PUBLIC_KEY_SIZE = 32;

const NEWLINE = Uint8Array.of(0x0a);

// c2sp.org/signed-note "Signatures" (RECOMMENDED key ID):
//   key ID = SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian uint32.
// `typedPublicKey` is the signature type byte followed by the public key encoding.
export function noteKeyHash(name: string, typedPublicKey: Uint8Array): number {
  assertValidKeyName(name);
  return sha256(Buffer.from(name, 'utf8'), NEWLINE, typedPublicKey).readUInt32BE(0);
}

// c2sp.org/signed-note "Ed25519 signatures": the key ID of a 32-byte Ed25519 public key.
export function ed25519KeyHash(name: string, rawPublicKey: Uint8Array): number {
  assertEd25519PublicKeySize(rawPublicKey);
  return noteKeyHash(name, typedEd25519PublicKey(rawPublicKey));
}

// 0x01 ‖ 32-byte key: the encoding hashed into the key ID and carried in a vkey.
export function typedEd25519PublicKey(rawPublicKey: Uint8Array): Uint8Array {
  const typed = new Uint8Array(1 + rawPublicKey.length);
  typed[0] = SIGNATURE_TYPE_ED25519;
  typed.set(rawPublicKey, 1);
  return typed;
}

// The key ID as written in a vkey and in error messages: 8 lowercase hex digits.
export function formatKeyHash(keyHash: number): string {
  return (keyHash >>> 0).toString(16).padStart(8, '0');
}

// RFC 8032 §5.1.5: KEY_MALFORMED unless the raw public key is exactly 32 bytes.
export function assertEd25519PublicKeySize(rawPublicKey: Uint8Array): void {
  if (rawPublicKey.length !== ED25519_PUBLIC_KEY_SIZE) {
    throw new NoteError('KEY_MALFORMED', `an Ed25519 public key is ${ED25519_PUBLIC_KEY_SIZE} bytes, got ${rawPublicKey.length}`);
  }
}
