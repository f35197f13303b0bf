import { leafHash, openCheckpoint, parseVerifierKey, Receipt, rootFromInclusionProof } from '@evidence-ledger/core';

const b64 = (s: string) => Buffer.from(s, 'base64');

// What the producer can check with the public key alone: the checkpoint's signature, the
// proof from the leaf to its root, and (given the stored bytes) that the leaf is those bytes.
export function receiptVerifies(vkey: string, receipt: Receipt, entryBytes?: Buffer): boolean {
  const { checkpoint } = openCheckpoint(receipt.checkpoint, [parseVerifierKey(vkey)]);
  if (entryBytes && leafHash(entryBytes).toString('base64') !== receipt.leafHash) return false;
  const root = rootFromInclusionProof({ ...receipt.inclusionProof, hashes: receipt.inclusionProof.hashes.map(b64) }, b64(receipt.leafHash));
  return Buffer.from(root).equals(checkpoint.rootHash);
}
