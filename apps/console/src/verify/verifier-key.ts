import { decodeBase64 } from './base64';
import { concatBytes, toHex } from './bytes';
import { sha256 } from './sha256';
import { VerificationFailure } from './verification-failure';

/** An Ed25519 note key as handed out in a vkey line, with its key ID checked. */
export interface VerifierKey {
  readonly name: string;
  /** c2sp.org/signed-note key ID: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4], big-endian. */
  readonly keyHash: number;
  readonly publicKey: Uint8Array;
}

// RFC 8410 §4: SubjectPublicKeyInfo DER of an Ed25519 key = this prefix ‖ 32-byte key.
const ED25519_SPKI_PREFIX = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);

// `<name>+<8 hex key ID>+<base64(0x01 ‖ 32-byte key)>`; the key ID must be the one the name
// and key give, or the line was altered.
export async function parseVerifierKey(vkey: string): Promise<VerifierKey> {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+(\S+)$/.exec(vkey);
  if (!match) throw new VerificationFailure(`malformed verifier key ${JSON.stringify(vkey.slice(0, 120))}`);
  const [, name, keyHashHex, keyText] = match;
  const typedKey = decodeBase64(keyText, 'the verifier key');
  if (typedKey.length !== 33 || typedKey[0] !== 0x01) throw new VerificationFailure('the verifier key is not an Ed25519 key');
  const keyHash = await noteKeyHash(name, typedKey);
  if (keyHash !== parseInt(keyHashHex, 16)) throw new VerificationFailure('the verifier key ID does not match its name and key');
  return { name, keyHash, publicKey: typedKey.subarray(1) };
}

export async function noteKeyHash(name: string, typedKey: Uint8Array): Promise<number> {
  const digest = await sha256(new TextEncoder().encode(name), Uint8Array.of(0x0a), typedKey);
  return new DataView(digest.buffer).getUint32(0, false);
}

// The key fingerprint the service prints and lists as `keyId`: SHA-256 of the SPKI DER, in hex.
export async function keyFingerprint(publicKey: Uint8Array): Promise<string> {
  return toHex(await sha256(concatBytes(ED25519_SPKI_PREFIX, publicKey)));
}
