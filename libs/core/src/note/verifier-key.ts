import { NoteError } from '../errors/note-error';
import { decodeBase64, encodeBase64 } from '../encoding';
import { ed25519NoteVerifier } from './ed25519-note-key';
import { isValidKeyName } from './key-name';
import {
  ED25519_PUBLIC_KEY_SIZE,
  formatKeyHash,
  noteKeyHash,
  SIGNATURE_TYPE_ED25519,
  ed25519KeyHash,
  typedEd25519PublicKey,
} from './key-hash';
import { NoteVerifier } from './note-signature';

const KEY_HASH_HEX = /^[0-9a-fA-F]{8}$/;

// The verifier key ("vkey") text form of golang.org/x/mod/sumdb/note, the de-facto way to
// hand out a note key: `<name>+<8 hex key ID>+<base64(0x01 ‖ 32-byte Ed25519 key)>`.
export function formatVerifierKey(name: string, rawPublicKey: Uint8Array): string {
  const keyHash = ed25519KeyHash(name, rawPublicKey);
  return `${name}+${formatKeyHash(keyHash)}+${encodeBase64(typedEd25519PublicKey(rawPublicKey))}`;
}

// Parses a vkey into a verifier. Strict: the name must be a valid key name, the key ID must be
// 8 hex digits equal to the ID computed from name and key (c2sp.org/signed-note "Signatures"),
// the key canonical base64. Only Ed25519 (type 0x01) is supported; anything else is refused
// with KEY_MALFORMED rather than silently ignored.
export function parseVerifierKey(vkey: string): NoteVerifier {
  const firstPlus = vkey.indexOf('+');
  const secondPlus = firstPlus < 0 ? -1 : vkey.indexOf('+', firstPlus + 1);
  if (secondPlus < 0) throw malformed(vkey, 'expected <name>+<key ID>+<key>');
  const name = vkey.slice(0, firstPlus);
  const keyHashHex = vkey.slice(firstPlus + 1, secondPlus);
  const typedKey = decodeBase64(vkey.slice(secondPlus + 1));
  if (!isValidKeyName(name)) throw malformed(vkey, 'invalid key name');
  if (!KEY_HASH_HEX.test(keyHashHex)) throw malformed(vkey, 'key ID must be 8 hex digits');
  if (typedKey === undefined || typedKey.length === 0) throw malformed(vkey, 'key is not standard base64');

  if (parseInt(keyHashHex, 16) !== noteKeyHash(name, typedKey)) {
    throw malformed(vkey, 'key ID does not match the name and key');
  }
  if (typedKey[0] !== SIGNATURE_TYPE_ED25519) {
    const type = typedKey[0].toString(16).padStart(2, '0');
    throw malformed(vkey, `unsupported signature type 0x${type}; only Ed25519 (0x01) is supported`);
  }
  const rawPublicKey = typedKey.subarray(1);
  if (rawPublicKey.length !== ED25519_PUBLIC_KEY_SIZE) {
    throw malformed(vkey, `Ed25519 key is ${rawPublicKey.length} bytes, expected ${ED25519_PUBLIC_KEY_SIZE}`);
  }
  return ed25519NoteVerifier(name, rawPublicKey);
}

function malformed(vkey: string, reason: string): NoteError {
  const shown = vkey.length > 120 ? `${vkey.slice(0, 120)}…` : vkey;
  return new NoteError('KEY_MALFORMED', `malformed verifier key ${JSON.stringify(shown)}: ${reason}`);
}
