import { Checkpoint, formatCheckpoint, parseCheckpoint } from './checkpoint';
import { NoteSignature, NoteSigner, NoteVerifier, TrustedNoteKey } from './note-signature';
import { openNote } from './open-note';
import { signNote } from './signed-note';

// A checkpoint whose note verified under at least one trusted key.
export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly verifiedBy: NoteVerifier[];
  /** Signatures by untrusted keys (e.g. witness cosignatures), left for the caller. */
  readonly unverifiedSignatures: NoteSignature[];
}

// c2sp.org/tlog-checkpoint "Signatures": the checkpoint as a signed note. The log's key name
// SHOULD equal the origin; that is the caller's choice of signer name.
export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): Promise<string> {
  return signNote(formatCheckpoint(checkpoint), signers);
}

// Opens a checkpoint note: signatures first (c2sp.org/signed-note: the text MUST be ignored
// until a trusted signature verified), then the strict checkpoint body. Throws NoteError with
// NOTE_* codes for the note, CHECKPOINT_MALFORMED for the body.
export function openCheckpoint(note: string | Uint8Array, trusted: readonly TrustedNoteKey[]): OpenedCheckpoint {
  const { text, verifiedBy, unverifiedSignatures } = openNote(note, trusted);
  return { checkpoint: parseCheckpoint(text), verifiedBy, unverifiedSignatures };
}
