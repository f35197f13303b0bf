import { completingLeaf, HASH_SIZE, NodeRef } from '@evidence-ledger/core';
import { NodeHashes, nodeKey } from './ledger-store';
import { StoreError } from './store-error';

/** The stored columns a node is read from. */
export interface NodeRow {
  readonly sequence: number;
  readonly leafHash: Buffer;
  readonly nodes: Buffer;
}

// Which rows hold the given nodes: a level-0 node is the leaf hash of entry `index`; a
// level-L node is stored with the leaf that completed it, at offset (L-1)·32 of `nodes`.
export function nodeSequences(refs: readonly NodeRef[]): number[] {
  return [...new Set(refs.map((r) => (r.level === 0 ? r.index : completingLeaf(r))))];
}

// Picks the requested nodes out of the rows read; a missing row or a short `nodes` column
// means the store was damaged, which proofs must never paper over.
export function extractNodes(refs: readonly NodeRef[], rows: Iterable<NodeRow>): NodeHashes {
  const bySequence = new Map<number, NodeRow>();
  for (const row of rows) bySequence.set(row.sequence, row);
  const out = new Map<string, Buffer>();
  for (const ref of refs) {
    const sequence = ref.level === 0 ? ref.index : completingLeaf(ref);
    const row = bySequence.get(sequence);
    if (!row)
      throw new StoreError('STORE_CORRUPT', `entry ${sequence} holding Merkle node ${nodeKey(ref)} is missing`, { details: { sequence } });
    const hash = ref.level === 0 ? row.leafHash : row.nodes.subarray((ref.level - 1) * HASH_SIZE, ref.level * HASH_SIZE);
    if (hash.length !== HASH_SIZE) {
      throw new StoreError('STORE_CORRUPT', `entry ${sequence} does not hold Merkle node ${nodeKey(ref)}`, { details: { sequence } });
    }
    out.set(nodeKey(ref), Buffer.from(hash));
  }
  return out;
}
