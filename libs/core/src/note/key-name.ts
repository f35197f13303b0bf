import { NoteError } from '../errors/note-error';
import { isWellFormedUnicode } from './note-text';

const UNICODE_SPACE = /\p{White_Space}/u;
// eslint-disable-next-line no-control-regex -- the spec forbids control characters; this is the check
const ASCII_CONTROL = /[\x00-\x1f]/;

// c2sp.org/signed-note "Format": key names MUST be non-empty and MUST NOT contain Unicode
// spaces or '+'; notes are UTF-8, so the name must be well-formed Unicode. Control characters
// are refused too: a note may not carry them, so such a name could never sign one.
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !name.includes('+') && !UNICODE_SPACE.test(name) && !ASCII_CONTROL.test(name) && isWellFormedUnicode(name);
}

// Throws KEY_MALFORMED with the offending name when it is not a valid key name.
export function assertValidKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    throw new NoteError('KEY_MALFORMED', `invalid key name ${JSON.stringify(name)}: must be non-empty UTF-8 without spaces or '+'`);
  }
}
