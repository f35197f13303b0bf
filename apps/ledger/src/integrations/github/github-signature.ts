import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header GitHub signs each delivery with: `sha256=` and the hex HMAC-SHA256 of the body. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

// Checked against when the tenant has no secret, so an unknown tenant costs the same HMAC as
// a known one and response times do not tell which tenants exist.
const DECOY_SECRET = randomBytes(32).toString('hex');

/**
 * Verifies GitHub's webhook signature (docs.github.com, "Validating webhook deliveries"):
 * HMAC-SHA256 keyed with the shared secret over the exact body bytes, compared in constant
 * time. False when the secret is unknown, the header is missing or malformed, or it differs.
 */
export function verifyGithubSignature(secret: string | undefined, body: Buffer, header: string | string[] | undefined): boolean {
  const expected = createHmac('sha256', secret ?? DECOY_SECRET)
    .update(body)
    .digest();
  const match = SIGNATURE.exec(typeof header === 'string' ? header.trim() : '');
  const given = match ? Buffer.from(match[1], 'hex') : Buffer.alloc(expected.length);
  return timingSafeEqual(expected, given) && match !== null && secret !== undefined;
}
