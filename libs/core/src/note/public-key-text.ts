import { createPublicKey } from 'node:crypto';
import { NoteError } from '../errors/note-error';
import { ed25519KeyMatcher, ed25519NoteVerifier, rawEd25519PublicKey } from './ed25519-note-key';
import { TrustedNoteKey } from './note-signature';
import { parseVerifierKey } from './verifier-key';

const PEM_BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----$/;

// Accepts, in any mix: SPKI PEM Ed25519 public keys (`-----BEGIN PUBLIC KEY-----` blocks) and
// verifier key lines (`<name>+<key ID>+<key>`), one per line; blank lines and `#` comments are
// skipped. A vkey carries its note key name; a PEM key does not, so it becomes a name-agnostic
// key (ed25519KeyMatcher) — or, if `defaultName` is given, a verifier bound to that name.
// Throws KEY_MALFORMED naming `source` and the line at fault; a private key is refused outright.
export function parsePublicKeys(text: string, defaultName?: string, source = 'public key file'): TrustedNoteKey[] {
  const lines = text.split(/\r?\n/);
  const keys: TrustedNoteKey[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${source}:${i + 1}`;
    const begin = PEM_BEGIN.exec(line);
    if (begin) {
      const end = lines.findIndex((candidate, j) => j > i && candidate.trim() === `-----END ${begin[1]}-----`);
      if (end < 0) throw malformed(where, `PEM block "${begin[1]}" has no END line`);
      keys.push(pemPublicKey(begin[1], lines.slice(i, end + 1).join('\n'), where, defaultName));
      i = end;
    } else {
      keys.push(vkeyLine(line, where));
    }
  }
  if (keys.length === 0) throw malformed(source, 'no public keys found');
  return keys;
}

function pemPublicKey(label: string, pem: string, where: string, defaultName?: string): TrustedNoteKey {
  if (label.includes('PRIVATE')) {
    throw malformed(where, 'this is a private key; give verifiers the public key (<keyFile>.pub or .vkey)');
  }
  if (label !== 'PUBLIC KEY') throw malformed(where, `expected "BEGIN PUBLIC KEY" (SPKI), got "BEGIN ${label}"`);
  let rawPublicKey: Uint8Array;
  try {
    rawPublicKey = rawEd25519PublicKey(createPublicKey({ key: pem, format: 'pem' }));
  } catch (cause) {
    throw malformed(where, `not an Ed25519 SPKI public key (${(cause as Error).message})`, cause);
  }
  return defaultName === undefined ? ed25519KeyMatcher(rawPublicKey) : ed25519NoteVerifier(defaultName, rawPublicKey);
}

function vkeyLine(line: string, where: string): TrustedNoteKey {
  try {
    return parseVerifierKey(line);
  } catch (cause) {
    throw malformed(where, (cause as Error).message, cause);
  }
}

function malformed(where: string, reason: string, cause?: unknown): NoteError {
  return new NoteError('KEY_MALFORMED', `${where}: ${reason}`, { cause });
}
