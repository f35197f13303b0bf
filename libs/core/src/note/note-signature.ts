/**
 * The parties to a signed note (c2sp.org/signed-note): who signs, who verifies, and one
 * parsed signature line. A key is identified by the pair (key name, key ID); the key ID is
 * called `keyHash` here, as in golang.org/x/mod/sumdb/note.
 */

// c2sp.org/signed-note "Signatures": signs note text with one key. `sign` is async so a
// KMS- or HSM-backed key can implement it; `keyHash` is the uint32 key ID.
export interface NoteSigner {
  readonly name: string;
  readonly keyHash: number;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

// c2sp.org/signed-note "Signatures": verifies signatures by one known key. `signature` is
// the signature proper, without the 4-byte key ID prefix.
export interface NoteVerifier {
  readonly name: string;
  readonly keyHash: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

// A trusted public key whose key name is not known in advance (e.g. a bare PEM key handed to
// an auditor). The key ID covers the name, so `forName(name)` yields the verifier that key
// would be under that name; it matches a signature line only if the key IDs agree.
export interface NoteKeyMatcher {
  readonly publicKey: Uint8Array;
  forName(name: string): NoteVerifier;
}

// What openNote/openCheckpoint trust: verifiers bound to a key name (from a vkey line) and/or
// name-agnostic public keys. Any mix is allowed.
export type TrustedNoteKey = NoteVerifier | NoteKeyMatcher;

// One signature line of a note, decoded: `— <name> base64(keyHash ‖ signature)`.
export interface NoteSignature {
  readonly name: string;
  readonly keyHash: number;
  readonly signature: Uint8Array;
}

// Tells the two kinds of trusted key apart.
export function isNoteKeyMatcher(key: TrustedNoteKey): key is NoteKeyMatcher {
  return typeof (key as NoteKeyMatcher).forName === 'function';
}
