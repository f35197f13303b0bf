import { nodeHash } from '../hashing/sha256';
import { LeafRange, NodeRef, rangeNodes } from './tree-math';

/** Reads perfect-subtree hashes; proofs are built from nothing else. */
export type NodeSource = (node: NodeRef) => Uint8Array;

// RFC 9162 §2.1.1 MTH(D[start:end]) from the perfect subtrees covering the range: the
// right-most nodes fold first, because MTH splits at the largest power of two.
export function rangeHash(range: LeafRange, nodes: NodeSource): Uint8Array {
  const parts = rangeNodes(range);
  let hash = nodes(parts[parts.length - 1]);
  for (let i = parts.length - 2; i >= 0; i--) hash = nodeHash(nodes(parts[i]), hash);
  return hash;
}
