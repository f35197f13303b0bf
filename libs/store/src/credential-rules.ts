import { ApiKeyRecord, Role, ROLES } from './credential-store';
import { timestampMicros, timestampText } from './postgres/postgres-timestamp';

/** Length of a SHA-256 digest, the only secret hash a key row holds. */
export const SECRET_HASH_BYTES = 32;

// An RFC 3339 instant in the one form credential times are stored and returned in:
// `Date#toISOString()` (UTC, milliseconds, sub-millisecond digits dropped).
export function instantText(text: string, field: string): string {
  const micros = typeof text === 'string' ? timestampMicros(text) : undefined;
  if (micros === undefined) throw new RangeError(`${field} ${JSON.stringify(text)} is not an RFC 3339 instant`);
  return `${timestampText(micros).slice(0, -4)}Z`;
}

// What the schema's CHECKs also enforce, refused before any SQL with a message that says why.
// Returns the record with its time in stored form.
export function checkedApiKey(record: Omit<ApiKeyRecord, 'revokedAt'>): Omit<ApiKeyRecord, 'revokedAt'> {
  if (!ROLES.includes(record.role as Role)) throw new RangeError(`role ${JSON.stringify(record.role)} is not one of ${ROLES.join(', ')}`);
  if (!Buffer.isBuffer(record.secretHash) || record.secretHash.length !== SECRET_HASH_BYTES) {
    throw new RangeError(`secretHash must be a ${SECRET_HASH_BYTES}-byte SHA-256 digest`);
  }
  return { ...record, createdAt: instantText(record.createdAt, 'createdAt') };
}
