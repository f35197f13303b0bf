import { randomBytes } from 'node:crypto';
import { constants, createReadStream, promises as fs } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { ArchiveError, notFound } from './archive-error';
import { assertArchiveKey, assertArchivePrefix } from './archive-key';
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
import { pathExists as exists, syncDirectory } from '@evidence-ledger/core';

/** The sidecar written beside each object: what was archived, and until when it is kept. */
interface Sidecar {
  readonly format: typeof SIDECAR_FORMAT;
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  readonly versionId: string;
  readonly contentType: string;
  readonly archivedAt: string;
  readonly retainUntil: string;
  readonly legalHold: boolean;
}

const SIDECAR_FORMAT = 'evidence-ledger/archive-object/v1';
/** Sidecars live in a parallel tree; keys cannot start with '.', so no key reaches it. */
const META_DIR = '.meta';
const SPOOL_DIR = '.spool';
/** Objects and sidecars: read-only, and readable by the archive's owner only (they hold events). */
const READ_ONLY = 0o400;

/**
 * The archive on a local directory: `<dir>/<key>` holds the bytes, `<dir>/.meta/<key>.json`
 * the SHA-256, retain-until date and legal hold. Both are created read-only and owner-only
 * (0400, directories 0700) by a hard link that refuses to replace an existing file; `delete`
 * refuses while the object is retained.
 *
 * Best effort, NOT write-once storage: anyone with write access to the directory (or root)
 * can still change or remove files. Tampering is detected — `get` checks the recorded
 * SHA-256, and archived segments carry signed checkpoints — but not prevented. Use S3 with
 * Object Lock where immutability must be enforced.
 */
export class DiskArchiveStore implements ArchiveStore {
  readonly kind = 'disk' as const;
  readonly worm = false;

  private constructor(
    private readonly directory: string,
    private readonly maxObjectBytes: number,
    private readonly clock: () => Date,
  ) {}

  get location(): string {
    return this.directory;
  }

  static async open(directory: string, options: { maxObjectBytes?: number; clock?: () => Date } = {}): Promise<DiskArchiveStore> {
    try {
      await fs.mkdir(join(directory, META_DIR), { recursive: true, mode: 0o700 });
      await fs.mkdir(join(directory, SPOOL_DIR), { recursive: true, mode: 0o700 });
      await fs.access(directory, constants.W_OK);
    } catch (cause) {
      throw new ArchiveError('ARCHIVE_UNAVAILABLE', `cannot use ${directory} as an archive directory`, { cause });
    }
    return new DiskArchiveStore(directory, options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES, options.clock ?? (() => new Date()));
  }

  async put(key: string, body: ArchiveBody, options: PutOptions): Promise<ArchivedObject> {
    assertArchiveKey(key);
    const archivedAt = this.clock();
    assertRetention(key, options.retainUntil, archivedAt);
    if (await exists(this.objectPath(key))) throw await this.exists(key);
    const spooled = await spoolBody(body, join(this.directory, SPOOL_DIR), this.maxObjectBytes, key);
    const sidecar: Sidecar = {
      format: SIDECAR_FORMAT,
      key,
      size: spooled.size,
      sha256: spooled.sha256,
      versionId: `${archivedAt.getTime().toString(36)}-${randomBytes(6).toString('hex')}`,
      contentType: options.contentType,
      archivedAt: archivedAt.toISOString(),
      retainUntil: options.retainUntil.toISOString(),
      legalHold: options.legalHold === true,
    };
    const sidecarTemp = `${spooled.path}.json`;
    try {
      await fs.writeFile(sidecarTemp, `${JSON.stringify(sidecar, null, 2)}\n`, { mode: READ_ONLY, flag: 'wx' });
      await fs.chmod(spooled.path, READ_ONLY);
      await fs.mkdir(dirname(this.objectPath(key)), { recursive: true, mode: 0o700 });
      await fs.mkdir(dirname(this.sidecarPath(key)), { recursive: true, mode: 0o700 });
      // link() fails with EEXIST instead of replacing: two writers racing for a key, one wins.
      await fs.link(spooled.path, this.objectPath(key));
      await fs.rm(this.sidecarPath(key), { force: true }); // a sidecar left by a put that failed halfway
      await fs.link(sidecarTemp, this.sidecarPath(key));
      await syncDirectory(dirname(this.objectPath(key)));
      await syncDirectory(dirname(this.sidecarPath(key)));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'EEXIST') throw await this.exists(key);
      throw new ArchiveError('ARCHIVE_UNAVAILABLE', `cannot write ${key} in ${this.directory}`, { cause });
    } finally {
      await spooled.discard();
      await fs.rm(sidecarTemp, { force: true });
    }
    return toObject(sidecar);
  }

  async head(key: string): Promise<ArchivedObject | undefined> {
    assertArchiveKey(key);
    const stat = await fs.lstat(this.objectPath(key)).catch(() => undefined);
    if (!stat) return undefined;
    if (!stat.isFile()) throw new ArchiveError('ARCHIVE_CORRUPT', `${key}: ${this.objectPath(key)} is not a regular file`);
    return toObject(await this.readSidecar(key));
  }

  async get(key: string): Promise<ArchivedObjectStream> {
    const object = await this.head(key);
    if (!object) throw notFound(key);
    const stream = createReadStream(this.objectPath(key), { highWaterMark: 1 << 20 });
    return { object, body: verifiedBody(stream, key, object) };
  }

  async *list(prefix: string): AsyncIterable<ArchiveListing> {
    assertArchivePrefix(prefix);
    // Walk only the directory the prefix lies in; keys are then sorted as strings, as S3 lists them.
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const found: ArchiveListing[] = [];
    for await (const { path, size } of walk(this.directory, base === '' ? this.directory : this.objectPath(base))) {
      const key = relative(this.directory, path).split(sep).join('/');
      if (key.startsWith(prefix)) found.push({ key, size });
    }
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    yield* found;
  }

  async delete(key: string): Promise<void> {
    const object = await this.head(key);
    if (!object) throw notFound(key);
    const now = this.clock();
    if (object.legalHold) {
      throw new ArchiveError('RETENTION_ACTIVE', `${key} is under legal hold; it cannot be deleted`, { details: { key } });
    }
    if (object.retainUntil && object.retainUntil.getTime() > now.getTime()) {
      throw new ArchiveError(
        'RETENTION_ACTIVE',
        `${key} is retained until ${object.retainUntil.toISOString()}; it cannot be deleted before`,
        {
          details: { key, retainUntil: object.retainUntil.toISOString() },
        },
      );
    }
    await fs.rm(this.objectPath(key), { force: true });
    await fs.rm(this.sidecarPath(key), { force: true });
  }

  async close(): Promise<void> {}

  private objectPath(key: string): string {
    return join(this.directory, ...key.split('/'));
  }

  private sidecarPath(key: string): string {
    return `${join(this.directory, META_DIR, ...key.split('/'))}.json`;
  }

  // A missing or unreadable sidecar means the retention of the file is unknown: the object
  // is then treated as damaged, never as free to delete.
  private async readSidecar(key: string): Promise<Sidecar> {
    let sidecar: Sidecar;
    try {
      sidecar = JSON.parse(await fs.readFile(this.sidecarPath(key), 'utf8')) as Sidecar;
    } catch (cause) {
      throw new ArchiveError('ARCHIVE_CORRUPT', `${key}: its record (${this.sidecarPath(key)}) is missing or unreadable`, { cause });
    }
    const valid =
      sidecar?.format === SIDECAR_FORMAT &&
      sidecar.key === key &&
      Number.isSafeInteger(sidecar.size) &&
      /^[0-9a-f]{64}$/.test(sidecar.sha256) &&
      !Number.isNaN(Date.parse(sidecar.retainUntil)) &&
      !Number.isNaN(Date.parse(sidecar.archivedAt));
    if (!valid) throw new ArchiveError('ARCHIVE_CORRUPT', `${key}: its record (${this.sidecarPath(key)}) is malformed`);
    return sidecar;
  }

  private async exists(key: string): Promise<ArchiveError> {
    const existing = await this.head(key).catch(() => undefined);
    const until = existing?.retainUntil ? `, retained until ${existing.retainUntil.toISOString()}` : '';
    return new ArchiveError('OBJECT_EXISTS', `${key} is already archived${until}; archived objects are never overwritten`, {
      details: { key },
    });
  }
}

function toObject(s: Sidecar): ArchivedObject {
  return {
    key: s.key,
    size: s.size,
    sha256: s.sha256,
    versionId: s.versionId,
    contentType: s.contentType,
    archivedAt: new Date(s.archivedAt),
    lockMode: 'DISK',
    retainUntil: new Date(s.retainUntil),
    legalHold: s.legalHold,
    laterVersions: 0,
  };
}

// Regular files under `directory` (symbolic links are not followed), skipping the sidecar and
// spool trees.
async function* walk(root: string, directory: string): AsyncIterable<{ path: string; size: number }> {
  const entries = await fs.readdir(directory, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (directory === root && (entry.name === META_DIR || entry.name === SPOOL_DIR)) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* walk(root, path);
    else if (entry.isFile()) yield { path, size: (await fs.lstat(path)).size };
  }
}
