import { createHash } from 'node:crypto';

/** Where a foreign id comes from; part of the hashed name, so equal ids of two systems never collide. */
export type ForeignIdNamespace = 'opa.decision' | 'github.delivery';

/**
 * The event id of a fact delivered by another system, derived from that system's own id so a
 * redelivery carries the same event id and the ledger answers it with the original receipt
 * (idempotency, docs/design.md). RFC 9562 §5.8 UUIDv8 ("custom"): the first 16 bytes of
 * SHA-256(namespace ‖ 0x00 ‖ foreignId), with the version nibble set to 8 and the variant
 * bits to 0b10. The tenant is not part of the name: ids are unique per tenant already.
 */
export function foreignEventId(namespace: ForeignIdNamespace, foreignId: string): string {
  const b = createHash('sha256')
    .update(namespace, 'utf8')
    .update(Buffer.from([0]))
    .update(foreignId, 'utf8')
    .digest()
    .subarray(0, 16);
  b[6] = 0x80 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
