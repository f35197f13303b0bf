import { ArchiveError } from './archive-error';

/** Longest key accepted, in bytes (S3 allows 1024 including the store's prefix). */
export const MAX_ARCHIVE_KEY_BYTES = 512;

// One path segment: starts with a letter, digit or '_' (so never '.', '..' or a hidden name),
// then letters, digits and . _ = - only. Safe as a file name and as an S3 key part everywhere.
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._=-]*$/;

// Archive keys are relative, '/'-separated paths such as `segments/acme/…jsonl` or
// `packs/acme/soc2/2026-q3.zip`. Anything that could climb out of the archive directory
// (`..`, an absolute path, a backslash), hide a file, or differ between file systems and S3
// is refused rather than normalized: a key names exactly one place.
export function assertArchiveKey(key: unknown, what = 'archive key'): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw invalid(what, key, 'it is empty');
  if (Buffer.byteLength(key) > MAX_ARCHIVE_KEY_BYTES) throw invalid(what, key, `it is longer than ${MAX_ARCHIVE_KEY_BYTES} bytes`);
  if (key.startsWith('/')) throw invalid(what, key, 'it is absolute; keys are relative to the archive');
  for (const segment of key.split('/')) {
    if (segment === '') throw invalid(what, key, "it has an empty path segment ('//' or a trailing '/')");
    if (segment === '.' || segment === '..') throw invalid(what, key, `it contains a '${segment}' path segment`);
    if (!SEGMENT.test(segment)) {
      throw invalid(what, key, "path segments may use letters, digits and . _ = - only, and may not start with '.' or '-'");
    }
  }
}

// A prefix to list under: empty (everything), or a key-shaped path with an optional trailing '/'.
export function assertArchivePrefix(prefix: unknown): asserts prefix is string {
  if (prefix === '') return;
  if (typeof prefix !== 'string') throw invalid('archive prefix', prefix, 'it is not a string');
  assertArchiveKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix, 'archive prefix');
}

function invalid(what: string, key: unknown, reason: string): ArchiveError {
  const shown = typeof key === 'string' ? JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key) : String(key);
  return new ArchiveError('ARCHIVE_KEY_INVALID', `${what} ${shown} is not allowed: ${reason}`, { details: { key } });
}
