import { createPublicKey, KeyObject, verify } from 'node:crypto';
import { NoteError } from '../errors/note-error';
import { assertEd25519PublicKeySize, ed25519KeyHash } from './key-hash';
import { NoteKeyMatcher, NoteVerifier } from './note-signature';

// RFC 8410 §4: SubjectPublicKeyInfo DER of an Ed25519 key = this 12-byte prefix ‖ 32-byte key.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

// RFC 8410 §4: the SPKI DER encoding of a raw Ed25519 public key (what PEM files and key IDs
// derived from "the public key" use).
export function ed25519SpkiDer(rawPublicKey: Uint8Array): Uint8Array {
  assertEd25519PublicKeySize(rawPublicKey);
  return Buffer.concat([ED25519_SPKI_PREFIX, rawPublicKey]);
}

// The raw 32-byte Ed25519 public key inside a node:crypto key (public, or private whose public
// half is taken). KEY_MALFORMED if the key is not Ed25519.
export function rawEd25519PublicKey(key: KeyObject): Uint8Array {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new NoteError('KEY_MALFORMED', `expected an Ed25519 key, got ${publicKey.asymmetricKeyType ?? publicKey.type}`);
  }
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return new Uint8Array(der.subarray(ED25519_SPKI_PREFIX.length));
}

// A node:crypto public key for a raw Ed25519 key.
export function ed25519PublicKeyObject(rawPublicKey: Uint8Array): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(ed25519SpkiDer(rawPublicKey)), format: 'der', type: 'spki' });
  } catch (cause) {
    if (cause instanceof NoteError) throw cause;
    throw new NoteError('KEY_MALFORMED', 'not a valid Ed25519 public key', { cause });
  }
}

// c2sp.org/signed-note "Ed25519 signatures": RFC 8032 verification of note text under one
// named key; the key ID is derived from the name and key as the spec recommends.
export function ed25519NoteVerifier(name: string, rawPublicKey: Uint8Array): NoteVerifier {
  const keyHash = ed25519KeyHash(name, rawPublicKey);
  const key = ed25519PublicKeyObject(rawPublicKey);
  return {
    name,
    keyHash,
    verify: (message, signature) => verifyEd25519(key, message, signature),
  };
}

// A trusted Ed25519 key whose note key name is not known (a bare PEM key): it matches a
// signature line under any name whose key ID equals ed25519KeyHash(name, key).
export function ed25519KeyMatcher(rawPublicKey: Uint8Array): NoteKeyMatcher {
  const publicKey = Uint8Array.from(rawPublicKey);
  const key = ed25519PublicKeyObject(publicKey);
  return {
    publicKey,
    forName: (name) => ({
      name,
      keyHash: ed25519KeyHash(name, publicKey),
      verify: (message, signature) => verifyEd25519(key, message, signature),
    }),
  };
}

function verifyEd25519(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
