import { Checkpoint, parseCheckpoint } from './checkpoint';
import { parseSignedNote } from './signed-note';
import { VerificationFailure } from './verification-failure';
import { VerifierKey } from './verifier-key';

/** A checkpoint whose Ed25519 signature the browser itself checked against a known key. */
export interface VerifiedCheckpoint extends Checkpoint {
  readonly note: string;
  readonly signedBy: VerifierKey;
}

// c2sp.org/signed-note "Signatures": a signature line matching (name, key ID) of a trusted key
// must verify, and at least one must; lines by other keys (witnesses) are ignored.
export async function openCheckpoint(note: string, trusted: readonly VerifierKey[], origin?: string): Promise<VerifiedCheckpoint> {
  const { text, signatures } = parseSignedNote(note);
  const message = new TextEncoder().encode(text);
  let signedBy: VerifierKey | undefined;
  for (const signature of signatures) {
    const key = trusted.find((k) => k.name === signature.name && k.keyHash === signature.keyHash);
    if (!key) continue;
    if (!(await verifyEd25519(key.publicKey, message, signature.signature))) {
      throw new VerificationFailure(`the signature by ${signature.name} does not verify: the checkpoint was altered or forged`);
    }
    signedBy ??= key;
  }
  if (!signedBy) throw new VerificationFailure('the checkpoint is not signed by any key the ledger publishes');
  const checkpoint = parseCheckpoint(text);
  if (origin !== undefined && checkpoint.origin !== origin) {
    throw new VerificationFailure(`the checkpoint is for ${checkpoint.origin}, not this tenant's log ${origin}`);
  }
  return { ...checkpoint, note, signedBy };
}

// RFC 8032 verification by WebCrypto (Ed25519 is built into Chromium, Firefox and Safari).
async function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return false;
  const key = await crypto.subtle.importKey('raw', publicKey as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>);
}
