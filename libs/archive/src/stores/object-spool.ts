import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { ArchiveError } from './archive-error';
import { ArchiveBody } from './archive-store';

/** An object body written out in full, with the digests a write-once PUT needs up front. */
export interface SpooledBody {
  /** The temp file holding the bytes; `discard()` removes it. */
  readonly path: string;
  readonly size: number;
  /** Lowercase hex SHA-256. */
  readonly sha256: string;
  /** Base64 MD5, for Content-MD5 (S3 requires it, or a checksum, on Object Lock PUTs). */
  readonly md5: string;
  discard(): Promise<void>;
}

// Writes the body to a new file in `directory` while digesting it, refusing bodies over
// `maxBytes` as soon as they pass it. A body stream that errors (e.g. a sealer that found the
// log inconsistent) leaves nothing behind: the file is removed and the error rethrown.
export async function spoolBody(body: ArchiveBody, directory: string, maxBytes: number, key: string): Promise<SpooledBody> {
  const path = join(directory, `.spool-${process.pid}-${randomBytes(6).toString('hex')}`);
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let size = 0;
  const handle = await fs.open(path, 'wx', 0o600);
  try {
    for await (const chunk of chunksOf(body)) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge(key, maxBytes);
      sha256.update(chunk);
      md5.update(chunk);
      await handle.write(chunk);
    }
    await handle.sync();
    await handle.close();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fs.rm(path, { force: true });
    throw e;
  }
  return {
    path,
    size,
    sha256: sha256.digest('hex'),
    md5: md5.digest('base64'),
    discard: () => fs.rm(path, { force: true }),
  };
}

export function tooLarge(key: string, maxBytes: number): ArchiveError {
  return new ArchiveError('OBJECT_TOO_LARGE', `${key} is larger than the archive's limit of ${maxBytes} bytes; nothing was stored`, {
    details: { key, maxBytes },
  });
}

async function* chunksOf(body: ArchiveBody): AsyncIterable<Buffer> {
  if (body instanceof Uint8Array) {
    yield Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    return;
  }
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

// Passes an archived object's bytes through and fails the stream at its end when they do not
// hash to the SHA-256 recorded at archive time (or differ in length). Readers that stop early
// (a verifier at its first failure) are not affected.
export function verifiedBody(source: Readable, key: string, expected: { sha256: string; size: number }): Readable {
  const hash = createHash('sha256');
  let size = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      const actual = hash.digest('hex');
      if (actual === expected.sha256 && size === expected.size) return done();
      done(
        new ArchiveError(
          'ARCHIVE_CORRUPT',
          `${key}: the bytes read (${size} bytes, SHA-256 ${actual}) differ from those archived (${expected.size} bytes, SHA-256 ${expected.sha256})`,
          { details: { key, sha256: actual, expectedSha256: expected.sha256 } },
        ),
      );
    },
  });
  source.on('error', (e) => check.destroy(e));
  return source.pipe(check);
}
