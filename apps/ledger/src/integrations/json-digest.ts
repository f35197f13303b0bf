import { sha256 } from '@evidence-ledger/core';
import { exactCanonicalJson } from './exact-json';

/**
 * `sha256:` + hex SHA-256 of the UTF-8 RFC 8785 canonical JSON of `value`: a digest anyone
 * holding the same JSON can recompute, whatever its key order or whitespace. Integers a
 * double cannot hold exactly (parsed with parseExactJson) are digested as written, not
 * rounded (docs/integrations.md, "Reproducing a digest"). Used for documents the ledger must
 * not store (an OPA decision's input can hold personal data). Throws RangeError for a value
 * nested too deeply to serialize.
 */
export function jsonDigest(value: unknown): string {
  return `sha256:${sha256(Buffer.from(exactCanonicalJson(value), 'utf8')).toString('hex')}`;
}
