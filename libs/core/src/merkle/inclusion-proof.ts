import { LedgerError } from '../errors/ledger-error';
import { HASH_SIZE, leafHash as hashLeaf, nodeHash } from '../hashing/sha256';
import { rangeHash, NodeSource } from './range-hash';
import { largestPowerOfTwoBelow, LeafRange, NodeRef, rangeNodes } from './tree-math';

/** RFC 9162 §2.1.3: the audit path of one leaf in a tree of `treeSize` leaves. */
export interface InclusionProof {
  readonly leafIndex: number;
  readonly treeSize: number;
  /** Sibling hashes, from the leaf's neighbour up to the root's child. */
  readonly hashes: readonly Uint8Array[];
}

// RFC 9162 §2.1.3.1 PATH(m, D[n]), as the leaf ranges whose hashes form the path, bottom up.
export function inclusionPathRanges(leafIndex: number, treeSize: number): LeafRange[] {
  assertLeafInTree(leafIndex, treeSize);
  const path: LeafRange[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (leafIndex < start + k) {
      path.push({ start: start + k, end });
      end = start + k;
    } else {
      path.push({ start, end: start + k });
      start += k;
    }
  }
  return path.reverse();
}

// Every stored node an inclusion proof reads: O(log n), fetched in one round trip.
export function inclusionProofNodes(leafIndex: number, treeSize: number): NodeRef[] {
  return inclusionPathRanges(leafIndex, treeSize).flatMap(rangeNodes);
}

export function buildInclusionProof(
  leafIndex: number,
  treeSize: number,
  nodes: NodeSource,
  memo?: Map<string, Uint8Array>,
): InclusionProof {
  const hashes = inclusionPathRanges(leafIndex, treeSize).map((r) => rangeHash(r, nodes, memo));
  return { leafIndex, treeSize, hashes };
}

/**
 * The inclusion proofs of the consecutive leaves [from, to) of a tree of `treeSize` — every
 * receipt of a just-committed batch — in one walk down the tree: each sibling on the way is
 * hashed (or read) once and shared by every proof that passes it, where proving each leaf
 * alone repeats the path work per leaf. Proof `i` is exactly `buildInclusionProof(from + i,
 * treeSize, nodes)`; leaves sharing a sibling share its `Uint8Array`.
 */
export function buildInclusionProofs(from: number, to: number, treeSize: number, nodes: NodeSource): InclusionProof[] {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from >= to) {
    throw new LedgerError('INVALID_PROOF_REQUEST', `[${from}, ${to}) is not a range of leaves`, { from, to });
  }
  assertLeafInTree(from, treeSize);
  assertLeafInTree(to - 1, treeSize);
  const proofs = new Array<InclusionProof>(to - from);
  const path: Uint8Array[] = []; // siblings from the root down to the current subtree
  const walk = (start: number, end: number): void => {
    if (end - start === 1) {
      proofs[start - from] = { leafIndex: start, treeSize, hashes: path.slice().reverse() };
      return;
    }
    const mid = start + largestPowerOfTwoBelow(end - start);
    if (from < mid) {
      path.push(rangeHash({ start: mid, end }, nodes));
      walk(start, mid);
      path.pop();
    }
    if (to > mid) {
      path.push(rangeHash({ start, end: mid }, nodes));
      walk(mid, end);
      path.pop();
    }
  };
  walk(0, treeSize);
  return proofs;
}

// RFC 9162 §2.1.3.2: recompute the root from the leaf hash and the path. Returns the root,
// so callers compare it with a signed checkpoint; throws PROOF_INVALID on a malformed path.
export function rootFromInclusionProof(proof: InclusionProof, leaf: Uint8Array): Uint8Array {
  const { leafIndex, treeSize, hashes } = proof;
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) {
    throw proofInvalid(`leaf ${leafIndex} is not in a tree of size ${treeSize}`);
  }
  let fn = leafIndex;
  let sn = treeSize - 1;
  if (leaf.length !== HASH_SIZE || hashes.some((h) => h.length !== HASH_SIZE)) {
    throw proofInvalid(`every hash in an inclusion proof is ${HASH_SIZE} bytes`);
  }
  let r: Uint8Array = leaf;
  for (const p of hashes) {
    if (sn === 0) throw proofInvalid('inclusion proof has more hashes than the tree is deep');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw proofInvalid('inclusion proof is missing hashes');
  return r;
}

// True when `entryBytes` is leaf `leafIndex` of the tree whose root is `rootHash`.
export function verifyInclusion(proof: InclusionProof, entryBytes: Uint8Array, rootHash: Uint8Array): boolean {
  try {
    return Buffer.from(rootFromInclusionProof(proof, hashLeaf(entryBytes))).equals(rootHash);
  } catch (e) {
    if (e instanceof LedgerError && e.code === 'PROOF_INVALID') return false;
    throw e;
  }
}

function assertLeafInTree(leafIndex: number, treeSize: number): void {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) {
    throw new LedgerError('INVALID_PROOF_REQUEST', `leaf ${leafIndex} is not in a tree of size ${treeSize}`, {
      leafIndex,
      treeSize,
    });
  }
}

function proofInvalid(message: string): LedgerError {
  return new LedgerError('PROOF_INVALID', message);
}
