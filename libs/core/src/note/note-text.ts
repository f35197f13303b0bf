import { NoteError, NoteErrorCode } from '../errors/note-error';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex -- the spec forbids control characters; this is the check
const CONTROL_OTHER_THAN_NEWLINE = /[\x00-\x09\x0b-\x1f]/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// True when `text` is well-formed Unicode (no unpaired UTF-16 surrogate), i.e. it encodes to
// UTF-8 and back without loss.
export function isWellFormedUnicode(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

// c2sp.org/signed-note "Format": notes MUST be valid UTF-8 and MUST NOT contain ASCII
// control characters other than newline. Throws `code` naming the offending position.
export function assertNoteCharacters(text: string, code: NoteErrorCode, what: string): void {
  if (!isWellFormedUnicode(text)) {
    throw new NoteError(code, `${what} is not valid UTF-8 (unpaired surrogate)`);
  }
  const control = CONTROL_OTHER_THAN_NEWLINE.exec(text);
  if (control) {
    const hex = control[0].charCodeAt(0).toString(16).padStart(2, '0');
    throw new NoteError(code, `${what} contains control character 0x${hex} at offset ${control.index}`);
  }
}

// Decodes note bytes as strict UTF-8 (no replacement characters, byte-order mark kept so the
// signed bytes are exactly the text's bytes). Throws `code` on invalid UTF-8.
export function decodeNoteBytes(bytes: Uint8Array, code: NoteErrorCode, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch (cause) {
    throw new NoteError(code, `${what} is not valid UTF-8`, { cause });
  }
}

// The UTF-8 bytes of note text: what signatures are computed over.
export function noteTextBytes(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}
