/** Why an archive operation failed; stable for callers (CLI exit codes, HTTP problems). */
export type ArchiveErrorCode =
  /** `LEDGER_ARCHIVE` (or its S3 settings) cannot be used as written. */
  | 'ARCHIVE_LOCATION_INVALID'
  /** An object key that could escape the archive or is not portable. */
  | 'ARCHIVE_KEY_INVALID'
  /** The S3 bucket exists without Object Lock, so nothing written to it could be locked. */
  | 'BUCKET_NOT_LOCKED'
  /** A put to a key that already holds an object: archived objects are never overwritten. */
  | 'OBJECT_EXISTS'
  | 'OBJECT_NOT_FOUND'
  | 'OBJECT_TOO_LARGE'
  /** A retain-until date that is not in the future, or a retention policy that cannot be parsed. */
  | 'RETENTION_INVALID'
  /** A delete (or overwrite) refused because the object is still under retention or legal hold. */
  | 'RETENTION_ACTIVE'
  /** The bytes read differ from the digest recorded when the object was archived. */
  | 'ARCHIVE_CORRUPT'
  /** The archive refused the credentials or the operation. */
  | 'ARCHIVE_DENIED'
  /** The archive could not be reached or failed. */
  | 'ARCHIVE_UNAVAILABLE';

// An archive failure translated at the adapter boundary; `cause` keeps the driver's error.
export class ArchiveError extends Error {
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: ArchiveErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, { cause: options?.cause });
    this.name = 'ArchiveError';
    this.details = options?.details ?? {};
  }
}

export function notFound(key: string): ArchiveError {
  return new ArchiveError('OBJECT_NOT_FOUND', `${key} is not in the archive`, { details: { key } });
}
