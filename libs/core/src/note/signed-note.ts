import { NoteError } from '../errors/note-error';
import { decodeBase64, encodeBase64 } from '../encoding';
import { isValidKeyName } from './key-name';
import { NoteSignature, NoteSigner } from './note-signature';
import { assertNoteCharacters, decodeNoteBytes, noteTextBytes } from './note-text';

// c2sp.org/signed-note "Format": verifiers SHOULD cap the number of signatures and MUST accept
// at least 16. We accept up to 100 (as golang.org/x/mod/sumdb/note does) and cap the whole
// note at 1 MiB — room for 100 post-quantum signatures of ~5 kB.
export const NOTE_LIMITS = { maxSignatures: 100, maxNoteBytes: 1 << 20 } as const;

// c2sp.org/signed-note "Format": every signature line starts with em dash (U+2014) and a space.
export const SIGNATURE_LINE_PREFIX = '\u2014 ';

const SEPARATOR = '\n\n';
const KEY_ID_SIZE = 4;

// A note split into its text and its (not yet verified) signature lines.
export interface ParsedNote {
  /** The signed text, including its final newline, excluding the separating blank line. */
  readonly text: string;
  readonly signatures: NoteSignature[];
}

// c2sp.org/signed-note "Format": a note is text ending in newline, a blank line, then one or
// more lines `— <key name> base64(key ID ‖ signature)`; the text ends at the *last* blank line.
// Parses strictly (UTF-8, no control characters, size and count limits, canonical base64) and
// verifies nothing: the text MUST NOT be trusted until openNote has checked a signature.
export function parseSignedNote(note: string | Uint8Array): ParsedNote {
  const byteLength = typeof note === 'string' ? Buffer.byteLength(note, 'utf8') : note.byteLength;
  if (byteLength > NOTE_LIMITS.maxNoteBytes) {
    throw malformed(`note is ${byteLength} bytes, more than the ${NOTE_LIMITS.maxNoteBytes} allowed`);
  }
  const message = typeof note === 'string' ? note : decodeNoteBytes(note, 'NOTE_MALFORMED', 'note');
  assertNoteCharacters(message, 'NOTE_MALFORMED', 'note');

  const split = message.lastIndexOf(SEPARATOR);
  if (split < 0) throw malformed('no blank line before the signatures');
  const text = message.slice(0, split + 1);
  const block = message.slice(split + SEPARATOR.length);
  if (block.length === 0 || !block.endsWith('\n')) {
    throw malformed('signature block must be non-empty and end with a newline');
  }

  const lines = block.slice(0, -1).split('\n');
  if (lines.length > NOTE_LIMITS.maxSignatures) {
    throw malformed(`${lines.length} signatures, more than the ${NOTE_LIMITS.maxSignatures} allowed`);
  }
  return { text, signatures: lines.map((line, i) => parseSignatureLine(line, i + 1)) };
}

// c2sp.org/signed-note "Format": signs `text` with every signer and appends one signature line
// per signer, in order. `text` must be a valid note text: non-empty, ending in a newline, UTF-8
// without control characters other than newline. Signers must have valid names.
export async function signNote(text: string, signers: readonly NoteSigner[]): Promise<string> {
  assertNoteText(text);
  if (signers.length === 0) throw malformed('at least one signer is required');
  if (signers.length > NOTE_LIMITS.maxSignatures) {
    throw malformed(`${signers.length} signers, more than the ${NOTE_LIMITS.maxSignatures} allowed`);
  }
  for (const signer of signers) {
    if (!isValidKeyName(signer.name)) {
      throw new NoteError('KEY_MALFORMED', `signer has an invalid key name ${JSON.stringify(signer.name)}`);
    }
    if (!Number.isInteger(signer.keyHash) || signer.keyHash < 0 || signer.keyHash > 0xffffffff) {
      throw new NoteError('KEY_MALFORMED', `signer ${signer.name} has a key ID that is not a uint32`);
    }
  }
  const message = noteTextBytes(text);
  const signatures = await Promise.all(signers.map((signer) => signer.sign(message)));
  const lines = signers.map((signer, i) => formatSignatureLine(signer.name, signer.keyHash, signatures[i]));
  const note = `${text}\n${lines.join('')}`;
  const size = Buffer.byteLength(note, 'utf8');
  if (size > NOTE_LIMITS.maxNoteBytes) {
    throw malformed(`signed note would be ${size} bytes, more than the ${NOTE_LIMITS.maxNoteBytes} allowed`);
  }
  return note;
}

// c2sp.org/signed-note "Signatures": one line `— <name> base64(uint32be keyHash ‖ signature)\n`.
export function formatSignatureLine(name: string, keyHash: number, signature: Uint8Array): string {
  if (signature.length === 0) throw malformed(`signer ${name} returned an empty signature`);
  const bytes = new Uint8Array(KEY_ID_SIZE + signature.length);
  new DataView(bytes.buffer).setUint32(0, keyHash >>> 0, false);
  bytes.set(signature, KEY_ID_SIZE);
  return `${SIGNATURE_LINE_PREFIX}${name} ${encodeBase64(bytes)}\n`;
}

// Throws NOTE_MALFORMED unless `text` can be the text of a signed note.
export function assertNoteText(text: string): void {
  if (!text.endsWith('\n')) throw malformed('note text must be non-empty and end with a newline');
  assertNoteCharacters(text, 'NOTE_MALFORMED', 'note text');
}

function parseSignatureLine(line: string, lineNumber: number): NoteSignature {
  if (!line.startsWith(SIGNATURE_LINE_PREFIX)) {
    throw malformed(`signature line ${lineNumber} does not start with "— "`);
  }
  const rest = line.slice(SIGNATURE_LINE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = space < 0 ? rest : rest.slice(0, space);
  const encoded = space < 0 ? '' : rest.slice(space + 1);
  if (!isValidKeyName(name)) throw malformed(`signature line ${lineNumber} has an invalid key name`);
  const bytes = decodeBase64(encoded);
  if (bytes === undefined || bytes.length <= KEY_ID_SIZE) {
    throw malformed(`signature line ${lineNumber} (${name}) is not base64 of a key ID and a signature`);
  }
  const keyHash = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
  return { name, keyHash, signature: bytes.slice(KEY_ID_SIZE) };
}

function malformed(reason: string): NoteError {
  return new NoteError('NOTE_MALFORMED', `malformed note: ${reason}`);
}
