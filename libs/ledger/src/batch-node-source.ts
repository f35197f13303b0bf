import { CompletedNode, frontierNodes, NodeRef, NodeSource } from '@evidence-ledger/core';
import { nodeKey } from '@evidence-ledger/store';

/**
 * The nodes a just-committed batch's inclusion proofs need, without reading them back: any
 * sibling on the path of a new leaf is either a perfect subtree of the old tree — which is
 * then one of the old frontier's subtrees — or a node completed inside the batch. Nodes are
 * only added here after the batch computed them from the same hashes it stored.
 */
export class BatchNodeSource {
  private readonly nodes = new Map<string, Uint8Array>();

  constructor(oldTreeSize: number, oldFrontier: readonly Uint8Array[]) {
    frontierNodes(oldTreeSize).forEach((ref, i) => this.nodes.set(nodeKey(ref), oldFrontier[i]));
  }

  addLeaf(index: number, leafHash: Uint8Array, completed: readonly CompletedNode[]): void {
    this.nodes.set(nodeKey({ level: 0, index }), leafHash);
    for (const n of completed) this.nodes.set(nodeKey(n), n.hash);
  }

  readonly source: NodeSource = (ref: NodeRef) => {
    const hash = this.nodes.get(nodeKey(ref));
    if (!hash) throw new Error(`node ${nodeKey(ref)} is not part of this batch`);
    return hash;
  };
}
