import { ApiKeyRecord, Role, ROLES, WEBHOOK_PROVIDERS, WebhookProvider, WebhookSecretRecord } from './credential-store';
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

// A webhook secret as both adapters store it: a known provider, a non-empty secret, the time
// in stored form.
export function checkedWebhookSecret(record: WebhookSecretRecord): WebhookSecretRecord {
  checkedWebhookProvider(record.provider);
  if (typeof record.secret !== 'string' || record.secret.length === 0) throw new RangeError('a webhook secret must not be empty');
  return { ...record, updatedAt: instantText(record.updatedAt, 'updatedAt') };
}

export function checkedWebhookProvider(provider: WebhookProvider): WebhookProvider {
  if (!WEBHOOK_PROVIDERS.includes(provider)) {
    throw new RangeError(`webhook provider ${JSON.stringify(provider)} is not one of ${WEBHOOK_PROVIDERS.join(', ')}`);
  }
  return provider;
}
