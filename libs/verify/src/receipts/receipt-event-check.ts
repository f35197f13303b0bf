import { canonicalBytes, leafHash, openCheckpoint, Receipt, rootFromInclusionProof, TrustedNoteKey } from '@evidence-ledger/core';
import { producerKeyId } from './producer-key-id';

/** What checking one receipt found; `problem` is set when it does not hold. */
export interface ReceiptCheck {
  readonly id: string;
  readonly sequence: number;
  readonly problem?: string;
}

/**
 * Checks each receipt the way docs/api.md tells a producer to, with nothing but the keys:
 * the checkpoint's signature; the entry bytes rebuilt from the posted event plus tenant (the
 * origin's last segment), sequence, recordedAt and producer (the API key's id) hash to
 * `leafHash`; and the inclusion proof leads from that leaf to the checkpoint's root
 * (RFC 9162 §2.1.3.2).
 */
export function checkReceipts(
  events: readonly Record<string, unknown>[],
  receipts: readonly Receipt[],
  apiKey: string,
  trusted: readonly TrustedNoteKey[],
): ReceiptCheck[] {
  const producer = producerKeyId(apiKey);
  return events.map((event, i) => {
    const receipt = receipts[i];
    const id = String(event.id).toLowerCase();
    if (!receipt || receipt.id !== id) return { id, sequence: -1, problem: 'the service returned no receipt for this event' };
    return { id, sequence: receipt.sequence, problem: problemWith(event, receipt, producer, trusted) };
  });
}

function problemWith(
  event: Record<string, unknown>,
  receipt: Receipt,
  producer: string,
  trusted: readonly TrustedNoteKey[],
): string | undefined {
  let opened;
  try {
    opened = openCheckpoint(receipt.checkpoint, trusted);
  } catch (e) {
    return `its checkpoint does not verify: ${(e as Error).message}`;
  }
  const { checkpoint } = opened;
  const tenant = checkpoint.origin.slice(checkpoint.origin.lastIndexOf('/') + 1);
  const entry = {
    ...event,
    id: String(event.id).toLowerCase(),
    tenant,
    sequence: receipt.sequence,
    recordedAt: receipt.recordedAt,
    producer,
  };
  const leaf = leafHash(canonicalBytes(entry));
  if (leaf.toString('base64') !== receipt.leafHash) return 'its leaf hash is not the hash of the event that was sent';
  const { leafIndex, treeSize, hashes } = receipt.inclusionProof;
  if (leafIndex !== receipt.sequence || treeSize !== checkpoint.treeSize) return 'its inclusion proof is not for this entry and checkpoint';
  try {
    const root = rootFromInclusionProof({ leafIndex, treeSize, hashes: hashes.map((h) => Buffer.from(h, 'base64')) }, leaf);
    return Buffer.from(root).equals(checkpoint.rootHash) ? undefined : 'its inclusion proof does not lead to the checkpoint root';
  } catch (e) {
    return `its inclusion proof is malformed: ${(e as Error).message}`;
  }
}
