import { nodeHash } from '../hashing/sha256';
import { LeafRange, NodeRef, rangeNodes } from './tree-math';

/** Reads perfect-subtree hashes; proofs are built from nothing else. */
export type NodeSource = (node: NodeRef) => Uint8Array;

// RFC 9162 §2.1.1 MTH(D[start:end]) from the perfect subtrees covering the range: the
// right-most nodes fold first, because MTH splits at the largest power of two.
// `memo` keeps the hashes of ranges that are not perfect subtrees (the right edge of a tree
// that is not a power of two): every proof in a batch shares them.
export function rangeHash(range: LeafRange, nodes: NodeSource, memo?: Map<string, Uint8Array>): Uint8Array {
  const parts = rangeNodes(range);
  if (parts.length === 1) return nodes(parts[0]);
  const key = memo && `${range.start}:${range.end}`;
  const known = key !== undefined ? memo?.get(key) : undefined;
  if (known) return known;
  let hash = nodes(parts[parts.length - 1]);
  for (let i = parts.length - 2; i >= 0; i--) hash = nodeHash(nodes(parts[i]), hash);
  if (key !== undefined) memo?.set(key, hash);
  return hash;
}
