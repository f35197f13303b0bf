import { leafHash } from '../../hashing/sha256';
import { CompactRange } from '../compact-range';
import { NodeSource } from '../range-hash';
import { NodeRef } from '../tree-math';

// Builds a tree the way the appender does and keeps every node it completes, as a store
// would: the node source proofs are built from in tests.
export function appendedTree(leaves: Uint8Array[]): { range: CompactRange; nodes: NodeSource; stored: Map<string, Buffer> } {
  const range = CompactRange.empty();
  const stored = new Map<string, Buffer>();
  leaves.forEach((input, i) => {
    const leaf = leafHash(input);
    stored.set(key({ level: 0, index: i }), leaf);
    for (const n of range.append(leaf)) stored.set(key(n), n.hash);
  });
  const nodes: NodeSource = (ref) => {
    const h = stored.get(key(ref));
    if (!h) throw new Error(`node ${key(ref)} was never stored`);
    return h;
  };
  return { range, nodes, stored };
}

export const key = (n: NodeRef): string => `${n.level}/${n.index}`;
