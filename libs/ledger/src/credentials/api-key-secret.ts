import { createHash, randomBytes } from 'node:crypto';
import { producerKeyId } from '@evidence-ledger/verify';

// An API key is 32 random bytes, base64url, behind a recognizable prefix (secret scanners
// match it). The server keeps only SHA-256 of the key — a high-entropy secret needs no slow
// hash — and finds the record by the first 16 hex digits of that digest, the key's id.
export const API_KEY_PREFIX = 'elk_';

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export interface ApiKeyDigest {
  readonly id: string;
  readonly secretHash: Buffer;
}

export function digestApiKey(key: string): ApiKeyDigest {
  const secretHash = createHash('sha256').update(key, 'utf8').digest();
  // The same id the offline verifier derives when it rebuilds an entry's bytes.
  return { id: producerKeyId(key), secretHash };
}
