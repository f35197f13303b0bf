import { NoteError } from '../errors/note-error';
import { formatKeyHash } from './key-hash';
import { isNoteKeyMatcher, NoteSignature, NoteVerifier, TrustedNoteKey } from './note-signature';
import { noteTextBytes } from './note-text';
import { parseSignedNote } from './signed-note';

// A note whose text is vouched for by at least one trusted key.
export interface OpenedNote {
  /** The signed text, including its final newline. */
  readonly text: string;
  /** The trusted keys whose signatures verified, one entry per key, in note order. */
  readonly verifiedBy: NoteVerifier[];
  /** Signatures by keys the caller does not trust (e.g. witnesses); ignored, per spec. */
  readonly unverifiedSignatures: NoteSignature[];
}

// c2sp.org/signed-note "Signatures": parses the note and checks it against the trusted keys.
// - A signature whose (key name, key ID) matches no trusted key is ignored (MUST), even if it
//   shares the name or the ID alone with one.
// - A signature matching a trusted key MUST verify; if it does not, the whole note is rejected
//   with NOTE_BAD_SIGNATURE (the spec's SHOULD, taken strictly).
// - With no verified signature from a trusted key the note is rejected: NOTE_UNVERIFIED.
// `trusted` mixes name-bound verifiers (vkeys) and name-agnostic public keys (matchers).
// Throws NOTE_MALFORMED for anything parseSignedNote rejects.
export function openNote(note: string | Uint8Array, trusted: readonly TrustedNoteKey[]): OpenedNote {
  const { text, signatures } = parseSignedNote(note);
  const message = noteTextBytes(text);
  const verifiedBy: NoteVerifier[] = [];
  const unverifiedSignatures: NoteSignature[] = [];

  for (const signature of signatures) {
    const candidates = trustedVerifiersFor(trusted, signature);
    if (candidates.length === 0) {
      unverifiedSignatures.push(signature);
      continue;
    }
    // Two trusted entries can share (name, key ID) — typically one key given both as a vkey
    // and as a PEM key; a signature by either of them is a signature by a trusted key.
    const verifier = candidates.find((candidate) => candidate.verify(message, signature.signature));
    if (verifier === undefined) {
      throw new NoteError(
        'NOTE_BAD_SIGNATURE',
        `signature by trusted key ${keyLabel(signature)} does not verify: the note was altered or forged`,
      );
    }
    if (!verifiedBy.some((known) => known.name === verifier.name && known.keyHash === verifier.keyHash)) {
      verifiedBy.push(verifier);
    }
  }

  if (verifiedBy.length === 0) {
    throw new NoteError('NOTE_UNVERIFIED', wrongKeyMessage(signatures, trusted));
  }
  return { text, verifiedBy, unverifiedSignatures };
}

// The trusted verifiers for one signature line, matched by (key name, key ID).
function trustedVerifiersFor(trusted: readonly TrustedNoteKey[], signature: NoteSignature): NoteVerifier[] {
  const matches: NoteVerifier[] = [];
  for (const key of trusted) {
    const verifier = isNoteKeyMatcher(key) ? key.forName(signature.name) : key;
    if (verifier.name === signature.name && verifier.keyHash >>> 0 === signature.keyHash) {
      matches.push(verifier);
    }
  }
  return matches;
}

// No signature line names a trusted key: the note was signed by another key than the one
// given (or its key IDs were altered). Names both sides by `<name>+<key ID>`, so a reader can
// tell a wrong --public-key from tampering, which shows as NOTE_BAD_SIGNATURE instead.
export function wrongKeyMessage(signatures: readonly NoteSignature[], trusted: readonly TrustedNoteKey[]): string {
  const signedBy = unique(signatures.map(keyLabel));
  // A bare public key has no name of its own: it is shown under the names the note uses.
  const names = unique(signatures.map((s) => s.name));
  const given = unique(
    trusted.flatMap((key) => (isNoteKeyMatcher(key) ? names.slice(0, 1).map((name) => keyLabel(key.forName(name))) : [keyLabel(key)])),
  );
  return `signed by key ${signedBy.join(', ')}, not by the key given (${given.length > 0 ? given.join(', ') : 'none'})`;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function keyLabel(signature: { readonly name: string; readonly keyHash: number }): string {
  return `${signature.name}+${formatKeyHash(signature.keyHash)}`;
}
