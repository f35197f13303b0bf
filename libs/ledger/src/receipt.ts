import { InclusionProof, Receipt } from '@evidence-ledger/core';

const b64 = (h: Uint8Array) => Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('base64');

/**
 * Base64 of proof hashes, each converted once: the receipts of one batch share most of their
 * upper path nodes, which are the same objects in the batch's node source.
 */
export class Base64Cache {
  private readonly cache = new Map<Uint8Array, string>();

  of(hash: Uint8Array): string {
    let s = this.cache.get(hash);
    if (s === undefined) {
      s = b64(hash);
      this.cache.set(hash, s);
    }
    return s;
  }
}

// The receipt's wire shape: hashes in standard base64, like the checkpoint's root line, so
// tools that never saw this codebase can check it (docs/api.md).
export function toReceipt(
  id: string,
  entry: { sequence: number; leafHash: Uint8Array; chainHash: Uint8Array; recordedAt: string },
  checkpoint: string,
  proof: InclusionProof,
  encode: (hash: Uint8Array) => string = b64,
): Receipt {
  return {
    id,
    sequence: entry.sequence,
    leafHash: encode(entry.leafHash),
    chainHash: b64(entry.chainHash),
    recordedAt: entry.recordedAt,
    checkpoint,
    inclusionProof: { leafIndex: proof.leafIndex, treeSize: proof.treeSize, hashes: proof.hashes.map(encode) },
  };
}
