import { RFC3339 } from '@evidence-ledger/core';

/** `sha256:` and 64 lowercase hex digits: the OCI / in-toto spelling of a SHA-256 digest. */
export const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;
/** A UUID, as the envelope's `id` is spelled: the reference from one entry to another. */
export const EVENT_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** A full SHA-1 git object name, lowercase, as `git rev-parse` prints it. */
export const GIT_COMMIT_SHA = /^[0-9a-f]{40}$/;

// What a producer reads when a value does not match one of the catalog's patterns. Large
// artefacts are referenced by digest, lowercase only so equal digests are equal strings;
// commits are full SHAs, since abbreviated ones are ambiguous and timelines join on them.
const MESSAGES: ReadonlyMap<string, string> = new Map([
  [SHA256_DIGEST.source, 'must be a SHA-256 digest: "sha256:" and 64 lowercase hex digits'],
  [GIT_COMMIT_SHA.source, 'must be a full 40-hex-digit lowercase git commit SHA'],
  [EVENT_ID.source, 'must be the id (a UUID) of an event in this ledger'],
  [RFC3339.source, 'must be an RFC 3339 date-time with an offset, e.g. "2026-07-01T00:00:00Z"'],
]);

/** The message for a value that does not match `pattern` (a schema's `pattern`). */
export function patternMessage(pattern: string): string {
  return MESSAGES.get(pattern) ?? `must match the pattern ${pattern}`;
}

/** The patterns with a written message: every pattern of the data schemas must be one. */
export function knownPatterns(): string[] {
  return [...MESSAGES.keys()];
}
