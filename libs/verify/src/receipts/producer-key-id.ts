import { createHash } from 'node:crypto';

// The id of a producer API key as entries record it (`producer`): the first 16 hex digits of
// SHA-256 of the key. A receipt's leaf hash is rebuilt with it, so the verifier derives it too.
export function producerKeyId(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest().subarray(0, 8).toString('hex');
}
