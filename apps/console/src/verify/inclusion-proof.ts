import { nodeHash } from './sha256';
import { VerificationFailure } from './verification-failure';

/** RFC 9162 §2.1.3: the audit path of one leaf in a tree of `treeSize` leaves. */
export interface InclusionProof {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly hashes: readonly Uint8Array[];
}

// RFC 9162 §2.1.3.2: the root recomputed from a leaf hash and its audit path.
export async function rootFromInclusionProof(proof: InclusionProof, leaf: Uint8Array): Promise<Uint8Array> {
  const { leafIndex, treeSize, hashes } = proof;
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) {
    throw new VerificationFailure(`leaf ${leafIndex} is not in a tree of size ${treeSize}`);
  }
  if (hashes.some((h) => h.length !== 32)) throw new VerificationFailure('a proof hash is not 32 bytes');
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of hashes) {
    if (sn === 0) throw new VerificationFailure('the proof has more hashes than the tree is deep');
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new VerificationFailure('the proof is missing hashes');
  return r;
}
