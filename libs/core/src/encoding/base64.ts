/**
 * Standard base64 (RFC 4648 §4, with padding) as c2sp.org/signed-note, tlog-checkpoint, log
 * exports and evidence packs use it — the one strict decoder of the code base. Decoding is
 * strict: Node's decoder skips bad characters, which would let two different strings name
 * the same bytes.
 */

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// RFC 4648 §4 encoding with padding.
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

// RFC 4648 §4 decoding; undefined unless `text` is the canonical encoding of some bytes
// (alphabet, padding and zero trailing bits all checked).
export function decodeBase64(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string' || !BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
