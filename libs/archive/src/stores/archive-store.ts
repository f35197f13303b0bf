import type { Readable } from 'node:stream';

/**
 * The ArchiveStore port: write-once storage for sealed log segments and evidence packs
 * (docs/archive.md). Immutability is the point:
 * - `put` never replaces anything: a key that already holds an object is refused
 *   (OBJECT_EXISTS), and every object carries a retain-until date before which it cannot be
 *   deleted or overwritten;
 * - a body stream that fails, or grows past the store's size limit, stores nothing;
 * - `get` and `head` always answer with the object as first archived under the key, and
 *   `get` checks the bytes against the SHA-256 recorded when they were archived.
 *
 * Adapters: S3 with Object Lock in COMPLIANCE mode (the server enforces retention; not even
 * the account root can shorten it) and a local directory (best effort, not WORM).
 */
export interface ArchiveStore {
  /** `s3` or `disk`. */
  readonly kind: 'disk' | 's3';
  /** Human-readable location without credentials, e.g. `s3://bucket/prefix` or a directory. */
  readonly location: string;
  /** Whether the storage itself enforces retention (S3 Object Lock), not only this code. */
  readonly worm: boolean;

  put(key: string, body: ArchiveBody, options: PutOptions): Promise<ArchivedObject>;
  /** The object as first archived under `key`, or undefined when there is none. */
  head(key: string): Promise<ArchivedObject | undefined>;
  /** Streams the object; the stream fails with ARCHIVE_CORRUPT if its bytes differ from the recorded SHA-256. */
  get(key: string): Promise<ArchivedObjectStream>;
  /** Keys under `prefix`, in ascending order. */
  list(prefix: string): AsyncIterable<ArchiveListing>;
  /**
   * Disposes of an object whose retention has passed. Refused with RETENTION_ACTIVE while
   * it is retained or under legal hold (on S3 by the server itself).
   */
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Bytes, or a stream of them (spooled and digested before anything is stored). */
export type ArchiveBody = Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface PutOptions {
  /** The object cannot be deleted or overwritten before this instant; must be in the future. */
  readonly retainUntil: Date;
  readonly contentType: string;
  /** Also places a legal hold (kept until explicitly released, whatever the retain-until date). */
  readonly legalHold?: boolean;
}

/** What the archive holds under a key. */
export interface ArchivedObject {
  readonly key: string;
  readonly size: number;
  /** Lowercase hex SHA-256 of the bytes, recorded when they were archived. */
  readonly sha256: string;
  /** The storage's version id of this object (S3 version id; a generated id on disk). */
  readonly versionId: string;
  readonly contentType: string;
  readonly archivedAt: Date;
  /** `COMPLIANCE` / `GOVERNANCE` as reported by S3; `DISK` for the best-effort disk store. */
  readonly lockMode?: 'COMPLIANCE' | 'GOVERNANCE' | 'DISK';
  readonly retainUntil?: Date;
  readonly legalHold: boolean;
  /**
   * Versions written under the same key after this one (possible on S3 by writing past this
   * port). They never replace the archived object; a verifier should mention them.
   */
  readonly laterVersions: number;
}

export interface ArchivedObjectStream {
  readonly object: ArchivedObject;
  readonly body: AsyncIterable<Buffer>;
}

export interface ArchiveListing {
  readonly key: string;
  readonly size: number;
}

/** The size limit of one object unless a store is given another: S3's limit for a single PUT. */
export const DEFAULT_MAX_OBJECT_BYTES = 5 * 1024 ** 3;
