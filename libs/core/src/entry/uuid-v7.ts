import { randomBytes } from 'node:crypto';

// RFC 9562 §5.7 UUIDv7: a 48-bit Unix-millisecond timestamp, then random bits. Ids made this
// way sort by creation time, which keeps the per-tenant id index append-mostly.
export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
