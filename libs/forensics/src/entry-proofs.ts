import { buildInclusionProof, InclusionProof, inclusionProofNodes, NodeRef } from '@evidence-ledger/core';
import { LedgerStore, nodeKey } from '@evidence-ledger/store';

// RFC 9162 §2.1.3 inclusion proofs of many entries in the same tree, from one store read:
// the nodes every proof needs are collected (shared ones once) and read together, and the
// hashes of larger subtrees are computed once for all proofs.
export async function inclusionProofs(
  store: LedgerStore,
  tenant: string,
  sequences: readonly number[],
  treeSize: number,
): Promise<Map<number, InclusionProof>> {
  const wanted = new Map<string, NodeRef>();
  for (const seq of sequences) for (const ref of inclusionProofNodes(seq, treeSize)) wanted.set(nodeKey(ref), ref);
  const nodes = wanted.size === 0 ? new Map<string, Buffer>() : await store.readNodes(tenant, [...wanted.values()]);
  const memo = new Map<string, Uint8Array>();
  const proofs = new Map<number, InclusionProof>();
  for (const seq of sequences)
    proofs.set(
      seq,
      buildInclusionProof(seq, treeSize, (r) => nodes.get(nodeKey(r)) as Buffer, memo),
    );
  return proofs;
}
