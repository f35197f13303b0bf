import { LedgerError } from './ledger-error';

/**
 * What went wrong with a signed note, a checkpoint or a note key (c2sp.org/signed-note,
 * c2sp.org/tlog-checkpoint). A verifier maps these to "reject" — the codes only say why.
 */
export type NoteErrorCode =
  /** The note is not well-formed (syntax, encoding, size or signature-count limits). */
  | 'NOTE_MALFORMED'
  /** No signature from a trusted key is present: the text MUST be ignored. */
  | 'NOTE_UNVERIFIED'
  /** A signature names a trusted key (name and key ID) but does not verify. */
  | 'NOTE_BAD_SIGNATURE'
  /** The note text is not a tlog-checkpoint body. */
  | 'CHECKPOINT_MALFORMED'
  /** A verifier key, key name or public key is malformed or of an unsupported algorithm. */
  | 'KEY_MALFORMED';

// Thrown by everything under note/: a typed code for callers, a message for people.
export class NoteError extends LedgerError {
  declare readonly code: NoteErrorCode;

  constructor(code: NoteErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, {}, options);
    this.name = 'NoteError';
  }
}
