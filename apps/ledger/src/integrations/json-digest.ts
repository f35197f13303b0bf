import { canonicalBytes, sha256 } from '@evidence-ledger/core';

/**
 * `sha256:` + hex SHA-256 of the RFC 8785 canonical JSON of `value`: a digest anyone holding
 * the same JSON can recompute, whatever its key order or whitespace. Used for documents the
 * ledger must not store (an OPA decision's input can hold personal data). Throws RangeError
 * for a value nested too deeply to serialize.
 */
export function jsonDigest(value: unknown): string {
  return `sha256:${sha256(canonicalBytes(value)).toString('hex')}`;
}
