import { decodeBase64 } from './base64';
import { equalBytes } from './bytes';
import { rootFromInclusionProof } from './inclusion-proof';
import { VerifiedCheckpoint } from './open-checkpoint';
import { leafHash } from './sha256';
import { VerificationFailure } from './verification-failure';

/** What the API sends with a step: its entry bytes, their leaf hash and an inclusion proof. */
export interface StepEvidence {
  readonly canonical: string;
  readonly leafHash: string;
  readonly proof: { readonly leafIndex: number; readonly treeSize: number; readonly hashes: readonly string[] };
}

export type Verdict = { readonly verified: true } | { readonly verified: false; readonly reason: string };

// The entry bytes hash to the leaf, and the leaf's path leads to the root the browser verified
// the signature of; the leaf index must be the step's own sequence. Nothing the server claims
// (its leafHash included) is taken on trust.
export async function verifyStep(sequence: number, evidence: StepEvidence, checkpoint: VerifiedCheckpoint): Promise<Verdict> {
  try {
    const leaf = await leafHash(decodeBase64(evidence.canonical, 'the entry bytes'));
    if (!equalBytes(leaf, decodeBase64(evidence.leafHash, 'the leaf hash'))) {
      return { verified: false, reason: 'the entry bytes do not hash to the leaf hash the server gave' };
    }
    const { leafIndex, treeSize } = evidence.proof;
    if (leafIndex !== sequence) return { verified: false, reason: `the proof is for leaf ${leafIndex}, not sequence ${sequence}` };
    if (treeSize !== checkpoint.treeSize) {
      return { verified: false, reason: `the proof is for a tree of ${treeSize}, the signed checkpoint has ${checkpoint.treeSize}` };
    }
    const hashes = evidence.proof.hashes.map((h) => decodeBase64(h, 'a proof hash'));
    const root = await rootFromInclusionProof({ leafIndex, treeSize, hashes }, leaf);
    if (!equalBytes(root, checkpoint.rootHash)) {
      return { verified: false, reason: 'the inclusion proof does not lead to the signed root: the entry or the proof was altered' };
    }
    return { verified: true };
  } catch (e) {
    if (e instanceof VerificationFailure) return { verified: false, reason: e.message };
    throw e;
  }
}
