import { CompletedNode, frontierNodes, NodeRef, NodeSource } from '@evidence-ledger/core';

/**
 * The nodes a just-committed batch's inclusion proofs need, without reading them back: any
 * sibling on the path of a new leaf is either a perfect subtree of the old tree — which is
 * then one of the old frontier's subtrees — or a node completed inside the batch. Nodes are
 * only added here after the batch computed them from the same hashes it stored.
 */
export class BatchNodeSource {
  private readonly nodes = new Map<number, Uint8Array>();

  constructor(oldTreeSize: number, oldFrontier: readonly Uint8Array[]) {
    frontierNodes(oldTreeSize).forEach((ref, i) => this.nodes.set(key(ref), oldFrontier[i]));
  }

  addLeaf(index: number, leafHash: Uint8Array, completed: readonly CompletedNode[]): void {
    this.nodes.set(key({ level: 0, index }), leafHash);
    for (const n of completed) this.nodes.set(key(n), n.hash);
  }

  readonly source: NodeSource = (ref: NodeRef) => {
    const hash = this.nodes.get(key(ref));
    if (!hash) throw new Error(`node ${ref.level}/${ref.index} is not part of this batch`);
    return hash;
  };
}

// A number, not a string, keys each node: this map is read ~log2(n) times per receipt.
// Levels stay below 64 and indexes below 2^47, so index·64 + level is exact.
const key = (ref: NodeRef): number => ref.index * 64 + ref.level;
