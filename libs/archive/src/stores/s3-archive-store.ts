import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  HeadObjectCommand,
  HeadObjectCommandOutput,
  ListObjectVersionsCommand,
  ListObjectVersionsCommandOutput,
  PutObjectCommand,
  S3Client,
  S3ClientConfig,
} from '@aws-sdk/client-s3';
import { ArchiveError, notFound } from './archive-error';
import { assertArchiveKey, assertArchivePrefix } from './archive-key';
import { describeArchiveLocation, S3ArchiveLocation } from './archive-location';
import {
  ArchiveBody,
  ArchivedObject,
  ArchivedObjectStream,
  ArchiveListing,
  ArchiveStore,
  DEFAULT_MAX_OBJECT_BYTES,
  PutOptions,
} from './archive-store';
import { spoolBody, verifiedBody } from './object-spool';
import { assertRetention } from './retention';
import { isNotFound, s3Code, s3Error, s3Status } from './s3-errors';

export interface S3ArchiveOptions {
  /** Explicit credentials; by default the AWS SDK's chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles, roles). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly maxObjectBytes?: number;
  readonly clock?: () => Date;
  /** Where bodies are spooled before upload (default: the OS temp directory). */
  readonly spoolDirectory?: string;
}

/** One stored version of a key, as ListObjectVersions reports it. */
interface KeyVersions {
  /** Object versions, oldest first: the first is the archived object. */
  readonly versions: readonly { readonly versionId: string; readonly size: number }[];
  readonly deleteMarkers: number;
}

/** The user metadata key holding the object's SHA-256 (sent as `x-amz-meta-sha256`). */
const SHA256_METADATA = 'sha256';

/**
 * The archive on S3 with Object Lock. Every object is written once with
 * `ObjectLockMode: COMPLIANCE` and its retain-until date: until then the server refuses to
 * delete that version or shorten its retention, whoever asks (AWS: not even the root user).
 *
 * Overwrites: the adapter refuses a key that has any version (and sends `If-None-Match: *`,
 * which AWS S3 enforces). A version written under the same key past this adapter cannot
 * replace the archived one: `head`/`get` always read the oldest version, and report later ones.
 * The bucket must have Object Lock enabled; a missing bucket is created with it.
 */
export class S3ArchiveStore implements ArchiveStore {
  readonly kind = 's3' as const;
  readonly worm = true;
  readonly location: string;

  private constructor(
    private readonly client: S3Client,
    private readonly target: S3ArchiveLocation,
    private readonly maxObjectBytes: number,
    private readonly clock: () => Date,
    private readonly spoolDirectory: string,
  ) {
    this.location = describeArchiveLocation(target);
  }

  // Connects, and makes sure the bucket can lock objects before anything is written to it.
  static async open(target: S3ArchiveLocation, options: S3ArchiveOptions = {}): Promise<S3ArchiveStore> {
    // This SDK line supports Node 20 (its engines field says >=20) but warns about future
    // releases on every start; the version is pinned, so the warning says nothing actionable.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const config: S3ClientConfig = {
      region: target.region,
      endpoint: target.endpoint,
      forcePathStyle: target.forcePathStyle,
      credentials: options.credentials,
      // Checksums only where S3 requires them: S3-compatible servers (radosgw, MinIO) reject
      // or mishandle the newer default trailing checksums. Integrity comes from Content-MD5 and
      // the SHA-256 recorded with every object.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
      maxAttempts: 3,
    };
    const client = new S3Client(config);
    const store = new S3ArchiveStore(
      client,
      target,
      options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES,
      options.clock ?? (() => new Date()),
      options.spoolDirectory ?? tmpdir(),
    );
    try {
      await store.ensureLockedBucket();
    } catch (e) {
      client.destroy();
      throw e;
    }
    return store;
  }

  async put(key: string, body: ArchiveBody, options: PutOptions): Promise<ArchivedObject> {
    assertArchiveKey(key);
    assertRetention(key, options.retainUntil, this.clock());
    const objectKey = this.objectKey(key);
    if ((await this.versionsOf(objectKey)).versions.length > 0) throw await this.exists(key);
    const spooled = await spoolBody(body, this.spoolDirectory, this.maxObjectBytes, key);
    let versionId: string | undefined;
    try {
      const written = await this.client.send(
        new PutObjectCommand({
          Bucket: this.target.bucket,
          Key: objectKey,
          Body: createReadStream(spooled.path),
          ContentLength: spooled.size,
          ContentMD5: spooled.md5,
          ChecksumSHA256: Buffer.from(spooled.sha256, 'hex').toString('base64'),
          ContentType: options.contentType,
          Metadata: { [SHA256_METADATA]: spooled.sha256 },
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: options.retainUntil,
          ObjectLockLegalHoldStatus: options.legalHold ? 'ON' : undefined,
          IfNoneMatch: '*',
        }),
      );
      versionId = written.VersionId;
    } catch (e) {
      if (s3Status(e) === 412 || s3Code(e) === 'PreconditionFailed') throw await this.exists(key);
      throw s3Error(e, `writing ${key}`, this.location);
    } finally {
      await spooled.discard();
    }
    // Servers that ignore If-None-Match let a concurrent writer add a version; the oldest one
    // is the archived object, so a put that did not write it did not archive anything.
    const { versions } = await this.versionsOf(objectKey);
    if (versions[0]?.versionId !== versionId) throw await this.exists(key);
    const object = await this.head(key);
    // Some servers store the date to the second; anything shorter than that is not the lock asked for.
    const locked = object?.lockMode === 'COMPLIANCE' && (object.retainUntil?.getTime() ?? 0) > options.retainUntil.getTime() - 1000;
    if (!object || !locked) {
      throw new ArchiveError(
        'BUCKET_NOT_LOCKED',
        `${this.location}: the server stored ${key} but does not report it locked in COMPLIANCE mode until ${options.retainUntil.toISOString()} (it reports ${object?.lockMode ?? 'no lock'}); this server does not implement Object Lock`,
        { details: { key } },
      );
    }
    return object;
  }

  async head(key: string): Promise<ArchivedObject | undefined> {
    assertArchiveKey(key);
    const objectKey = this.objectKey(key);
    const { versions, deleteMarkers } = await this.versionsOf(objectKey);
    const original = versions[0];
    if (!original) return undefined;
    let head: HeadObjectCommandOutput;
    try {
      head = await this.client.send(new HeadObjectCommand({ Bucket: this.target.bucket, Key: objectKey, VersionId: original.versionId }));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw s3Error(e, `reading ${key}`, this.location);
    }
    const sha256 = head.Metadata?.[SHA256_METADATA];
    if (!sha256 || !/^[0-9a-f]{64}$/.test(sha256)) {
      throw new ArchiveError(
        'ARCHIVE_CORRUPT',
        `${key} (version ${original.versionId}) carries no SHA-256: it was not archived by evidence-ledger`,
      );
    }
    const lockMode = head.ObjectLockMode === 'COMPLIANCE' || head.ObjectLockMode === 'GOVERNANCE' ? head.ObjectLockMode : undefined;
    return {
      key,
      size: head.ContentLength ?? original.size,
      sha256,
      versionId: original.versionId,
      contentType: head.ContentType ?? 'application/octet-stream',
      archivedAt: head.LastModified ?? new Date(0),
      lockMode,
      retainUntil: head.ObjectLockRetainUntilDate,
      legalHold: head.ObjectLockLegalHoldStatus === 'ON',
      laterVersions: versions.length - 1 + deleteMarkers,
    };
  }

  async get(key: string): Promise<ArchivedObjectStream> {
    const object = await this.head(key);
    if (!object) throw notFound(key);
    try {
      const read = await this.client.send(
        new GetObjectCommand({ Bucket: this.target.bucket, Key: this.objectKey(key), VersionId: object.versionId }),
      );
      if (!(read.Body instanceof Readable)) throw new ArchiveError('ARCHIVE_UNAVAILABLE', `${key}: S3 returned no body`);
      return { object, body: verifiedBody(read.Body, key, object) };
    } catch (e) {
      throw s3Error(e, `reading ${key}`, this.location);
    }
  }

  // Keys with at least one object version, from ListObjectVersions rather than ListObjects:
  // a delete marker hides a key from ListObjects, never from the archive.
  async *list(prefix: string): AsyncIterable<ArchiveListing> {
    assertArchivePrefix(prefix);
    const strip = this.target.prefix ? this.target.prefix.length + 1 : 0;
    let last: ArchiveListing | undefined;
    for await (const page of this.versionPages(this.objectKey(prefix), `listing ${prefix || 'the archive'}`)) {
      // Versions of one key come newest first: the last one seen is the archived object.
      for (const v of page.Versions ?? []) {
        const key = (v.Key ?? '').slice(strip);
        if (last && last.key !== key) yield last;
        last = { key, size: v.Size ?? 0 };
      }
    }
    if (last) yield last;
  }

  async delete(key: string): Promise<void> {
    const object = await this.head(key);
    if (!object) throw notFound(key);
    const objectKey = this.objectKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.target.bucket, Key: objectKey, VersionId: object.versionId }));
    } catch (e) {
      if (s3Status(e) === 403) {
        const why = object.legalHold ? 'is under legal hold' : `is locked (${object.lockMode}) until ${object.retainUntil?.toISOString()}`;
        throw new ArchiveError('RETENTION_ACTIVE', `${key} ${why}; S3 refused to delete it`, { cause: e, details: { key } });
      }
      throw s3Error(e, `deleting ${key}`, this.location);
    }
    // The archived version is gone; later versions and delete markers under the key go with it.
    for (const v of await this.allVersionIds(objectKey)) {
      await this.client
        .send(new DeleteObjectCommand({ Bucket: this.target.bucket, Key: objectKey, VersionId: v }))
        .catch((e: unknown) => Promise.reject(s3Error(e, `deleting a later version of ${key}`, this.location)));
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    return this.target.prefix ? `${this.target.prefix}/${key}` : key;
  }

  // Object Lock can only be relied on when the bucket has it enabled (on most servers this is
  // only possible at creation). A bucket without it is refused, a missing one created with it.
  private async ensureLockedBucket(): Promise<void> {
    const { bucket } = this.target;
    let state = await this.lockState();
    if (state === 'missing') {
      try {
        const aws = this.target.endpoint === undefined && this.target.region !== 'us-east-1';
        await this.client.send(
          new CreateBucketCommand({
            Bucket: bucket,
            ObjectLockEnabledForBucket: true,
            CreateBucketConfiguration: aws ? { LocationConstraint: this.target.region as never } : undefined,
          }),
        );
      } catch (e) {
        if (s3Code(e) !== 'BucketAlreadyOwnedByYou') throw s3Error(e, `creating bucket ${bucket} with Object Lock`, this.location);
      }
      state = await this.lockState();
    }
    if (state !== 'enabled') {
      throw new ArchiveError(
        'BUCKET_NOT_LOCKED',
        `S3 bucket ${bucket} does not have Object Lock enabled, so archived objects could be deleted or overwritten; ` +
          'archive to a bucket created with Object Lock (a bucket that does not exist yet is created with it)',
        { details: { bucket } },
      );
    }
  }

  private async lockState(): Promise<'enabled' | 'disabled' | 'missing'> {
    try {
      const out = await this.client.send(new GetObjectLockConfigurationCommand({ Bucket: this.target.bucket }));
      return out.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled' ? 'enabled' : 'disabled';
    } catch (e) {
      const code = s3Code(e);
      if (code === 'ObjectLockConfigurationNotFoundError') return 'disabled';
      if (code === 'NoSuchBucket' || (isNotFound(e) && code !== 'ObjectLockConfigurationNotFoundError')) return 'missing';
      throw s3Error(e, `checking Object Lock on bucket ${this.target.bucket}`, this.location);
    }
  }

  private async versionsOf(objectKey: string): Promise<KeyVersions> {
    const versions: { versionId: string; size: number }[] = [];
    let deleteMarkers = 0;
    for await (const page of this.versionsOfKey(objectKey)) {
      for (const v of page.Versions ?? []) if (v.Key === objectKey) versions.push({ versionId: v.VersionId ?? 'null', size: v.Size ?? 0 });
      deleteMarkers += (page.DeleteMarkers ?? []).filter((m) => m.Key === objectKey).length;
    }
    // Listed newest first; the archived object is the oldest.
    return { versions: versions.reverse(), deleteMarkers };
  }

  private async allVersionIds(objectKey: string): Promise<string[]> {
    const ids: string[] = [];
    for await (const page of this.versionsOfKey(objectKey))
      for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])])
        if (v.Key === objectKey && v.VersionId) ids.push(v.VersionId);
    return ids;
  }

  // The pages of one key's versions; keys sharing the prefix sort after it, so stop once past it.
  private versionsOfKey(objectKey: string): AsyncIterable<ListObjectVersionsCommandOutput> {
    return this.versionPages(objectKey, `listing the versions of ${objectKey}`, objectKey);
  }

  // ListObjectVersions page by page under `prefix`, until the listing ends or, with `lastKey`,
  // a page reaches keys after it.
  private async *versionPages(prefix: string, what: string, lastKey?: string): AsyncIterable<ListObjectVersionsCommandOutput> {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      let page: ListObjectVersionsCommandOutput;
      try {
        page = await this.client.send(
          new ListObjectVersionsCommand({
            Bucket: this.target.bucket,
            Prefix: prefix,
            KeyMarker: keyMarker,
            VersionIdMarker: versionIdMarker,
          }),
        );
      } catch (e) {
        throw s3Error(e, what, this.location);
      }
      yield page;
      const more = page.IsTruncated === true && !(lastKey !== undefined && (page.Versions ?? []).some((v) => (v.Key ?? '') > lastKey));
      keyMarker = more ? page.NextKeyMarker : undefined;
      versionIdMarker = more ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);
  }

  private async exists(key: string): Promise<ArchiveError> {
    const existing = await this.head(key).catch(() => undefined);
    const detail = existing
      ? ` (version ${existing.versionId}${existing.retainUntil ? `, locked until ${existing.retainUntil.toISOString()}` : ''})`
      : '';
    return new ArchiveError('OBJECT_EXISTS', `${key} is already archived${detail}; archived objects are never overwritten`, {
      details: { key },
    });
  }
}
