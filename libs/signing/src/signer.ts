import { NoteSigner } from '@evidence-ledger/core';

// A checkpoint signing key (c2sp.org/signed-note, Ed25519). Local keys implement it here; a
// KMS- or HSM-backed key implements the same interface without touching core: `sign` is async
// and the public half is all the rest of the system needs.
export interface Signer extends NoteSigner {
  /** Hex SHA-256 of the SPKI DER public key: a stable id for key-rotation events and packs. */
  readonly keyId: string;
  /** The raw 32-byte Ed25519 public key (RFC 8032). */
  readonly publicKey: Uint8Array;
  /** The public key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`), for auditors and tools. */
  publicKeyPem(): string;
  /** The public key as a note verifier key line: `<name>+<key ID>+<base64 key>`. */
  verifierKey(): string;
}
