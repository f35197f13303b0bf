import { InclusionProof, Receipt } from '@evidence-ledger/core';

const b64 = (h: Uint8Array) => Buffer.from(h).toString('base64');

// The receipt's wire shape: hashes in standard base64, like the checkpoint's root line, so
// tools that never saw this codebase can check it (issue "Ledger service" §2).
export function toReceipt(
  id: string,
  entry: { sequence: number; leafHash: Uint8Array; chainHash: Uint8Array; recordedAt: string },
  checkpoint: string,
  proof: InclusionProof,
): Receipt {
  return {
    id,
    sequence: entry.sequence,
    leafHash: b64(entry.leafHash),
    chainHash: b64(entry.chainHash),
    recordedAt: entry.recordedAt,
    checkpoint,
    inclusionProof: { leafIndex: proof.leafIndex, treeSize: proof.treeSize, hashes: proof.hashes.map(b64) },
  };
}
