import { createHash } from 'node:crypto';

/** Hex SHA-256 of a pack file: how the manifest and the in-toto subject name each file's bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
