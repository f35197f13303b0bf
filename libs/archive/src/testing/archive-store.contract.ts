import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ArchiveError, ArchiveErrorCode } from '../stores/archive-error';
import { ArchiveStore } from '../stores/archive-store';

/** How the contract reaches one adapter: a fresh, empty archive per call. */
export interface ArchiveHarness {
  open(options?: { maxObjectBytes?: number }): Promise<ArchiveStore>;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
export const inADay = (): Date => new Date(Date.now() + DAY_MS);
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export async function readAll(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function listKeys(store: ArchiveStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of store.list(prefix)) keys.push(item.key);
  return keys;
}

export async function rejectsWith(promise: Promise<unknown>, code: ArchiveErrorCode): Promise<ArchiveError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArchiveError);
  expect((error as ArchiveError).code).toBe(code);
  return error as ArchiveError;
}

const HOSTILE_KEYS: [string, string][] = [
  ['a parent segment', '../escape'],
  ['a parent segment inside', 'a/../../b'],
  ['an absolute path', '/etc/passwd'],
  ['an empty segment', 'a//b'],
  ['a trailing slash', 'a/'],
  ['a hidden segment', '.meta/x'],
  ['a hidden file', 'a/.hidden'],
  ['a backslash', 'a\\..\\b'],
  ['an empty key', ''],
  ['a 513-byte key', 'x'.repeat(513)],
  ['a space', 'a b'],
  ['a non-ASCII letter', 'é'],
];

/**
 * Behaviour every ArchiveStore adapter must have: write-once, retained, digest-checked
 * objects under safe keys. Each test works in a key space of its own.
 */
export function archiveStoreContract(name: string, harness: () => ArchiveHarness): void {
  describe(`${name} honours the ArchiveStore contract`, () => {
    let store: ArchiveStore;
    let space: string;
    beforeAll(async () => {
      store = await harness().open();
    });
    afterAll(() => store?.close());
    beforeEach(() => {
      space = `t-${randomBytes(6).toString('hex')}`;
    });

    it('stores bytes with their SHA-256, retain-until date and a version id, and reads back the same bytes', async () => {
      const bytes = randomBytes(4096);
      const retainUntil = inADay();
      const put = await store.put(`${space}/a.bin`, bytes, { retainUntil, contentType: 'application/octet-stream' });
      expect(put).toMatchObject({ key: `${space}/a.bin`, size: 4096, sha256: sha256Hex(bytes), legalHold: false, laterVersions: 0 });
      expect(put.versionId).toEqual(expect.any(String));
      expect(Math.abs((put.retainUntil as Date).getTime() - retainUntil.getTime())).toBeLessThan(1000);
      const head = await store.head(`${space}/a.bin`);
      expect(head).toMatchObject({ sha256: put.sha256, size: 4096, versionId: put.versionId, contentType: 'application/octet-stream' });
      const read = await store.get(`${space}/a.bin`);
      const back = await readAll(read.body);
      expect(back.equals(bytes)).toBe(true);
      expect(sha256Hex(back)).toBe(put.sha256);
    });

    it('stores a stream exactly as its bytes', async () => {
      const parts = [Buffer.from('{"a":1}\n'), Buffer.from('{"b":2}\n'), randomBytes(70_000)];
      const put = await store.put(`${space}/stream.jsonl`, Readable.from(parts), {
        retainUntil: inADay(),
        contentType: 'application/x-ndjson',
      });
      expect(put.sha256).toBe(sha256Hex(Buffer.concat(parts)));
      expect((await readAll((await store.get(`${space}/stream.jsonl`)).body)).equals(Buffer.concat(parts))).toBe(true);
    });

    it('never overwrites: a second put to the same key is refused and the first bytes stay', async () => {
      const first = Buffer.from('first');
      await store.put(`${space}/once`, first, { retainUntil: inADay(), contentType: 'text/plain' });
      const error = await rejectsWith(
        store.put(`${space}/once`, Buffer.from('second'), { retainUntil: inADay(), contentType: 'text/plain' }),
        'OBJECT_EXISTS',
      );
      expect(error.message).toMatch(/already archived.*never overwritten/);
      expect((await readAll((await store.get(`${space}/once`)).body)).toString()).toBe('first');
    });

    it('refuses to delete an object before its retain-until date, and keeps it', async () => {
      await store.put(`${space}/kept`, Buffer.from('kept'), { retainUntil: inADay(), contentType: 'text/plain' });
      await rejectsWith(store.delete(`${space}/kept`), 'RETENTION_ACTIVE');
      expect((await readAll((await store.get(`${space}/kept`)).body)).toString()).toBe('kept');
    });

    it('reports a legal hold', async () => {
      const held = await store.put(`${space}/held`, Buffer.from('held'), {
        retainUntil: inADay(),
        contentType: 'text/plain',
        legalHold: true,
      });
      expect(held.legalHold).toBe(true);
      expect((await store.head(`${space}/held`))?.legalHold).toBe(true);
      await rejectsWith(store.delete(`${space}/held`), 'RETENTION_ACTIVE');
    });

    it('stores nothing when the body stream fails', async () => {
      async function* failing(): AsyncIterable<Buffer> {
        yield Buffer.from('half of a segment\n');
        throw new Error('the sealer found the log inconsistent');
      }
      await expect(store.put(`${space}/failed`, failing(), { retainUntil: inADay(), contentType: 'text/plain' })).rejects.toThrow(
        'the sealer found the log inconsistent',
      );
      expect(await store.head(`${space}/failed`)).toBeUndefined();
      expect(await listKeys(store, `${space}/`)).toEqual([]);
    });

    it('refuses a retain-until date that is not in the future', async () => {
      await rejectsWith(
        store.put(`${space}/past`, Buffer.from('x'), { retainUntil: new Date(Date.now() - 1000), contentType: 'text/plain' }),
        'RETENTION_INVALID',
      );
      await rejectsWith(
        store.put(`${space}/nan`, Buffer.from('x'), { retainUntil: new Date(Number.NaN), contentType: 'text/plain' }),
        'RETENTION_INVALID',
      );
      expect(await store.head(`${space}/past`)).toBeUndefined();
    });

    it.each(HOSTILE_KEYS)('refuses a key with %s everywhere, touching nothing', async (_what, key) => {
      const at = key === '' ? '' : `${space}/${key}`;
      const hostile = key.startsWith('/') || key === '' ? key : at;
      await rejectsWith(store.put(hostile, Buffer.from('x'), { retainUntil: inADay(), contentType: 'text/plain' }), 'ARCHIVE_KEY_INVALID');
      await rejectsWith(store.head(hostile), 'ARCHIVE_KEY_INVALID');
      await rejectsWith(store.get(hostile), 'ARCHIVE_KEY_INVALID');
      await rejectsWith(store.delete(hostile), 'ARCHIVE_KEY_INVALID');
    });

    it('refuses a listing prefix that climbs out of the archive', async () => {
      await rejectsWith(listKeys(store, '../'), 'ARCHIVE_KEY_INVALID');
    });

    it('lists keys under a prefix in order, and only those', async () => {
      for (const key of ['b/2', 'a/1', 'b/1', 'b-x/1']) {
        await store.put(`${space}/${key}`, Buffer.from(key), { retainUntil: inADay(), contentType: 'text/plain' });
      }
      expect(await listKeys(store, `${space}/b/`)).toEqual([`${space}/b/1`, `${space}/b/2`]);
      expect(await listKeys(store, `${space}/`)).toEqual([`${space}/a/1`, `${space}/b-x/1`, `${space}/b/1`, `${space}/b/2`]);
    });

    it('answers undefined for a missing key, and OBJECT_NOT_FOUND when it is read', async () => {
      expect(await store.head(`${space}/missing`)).toBeUndefined();
      await rejectsWith(store.get(`${space}/missing`), 'OBJECT_NOT_FOUND');
    });

    it('refuses an oversize body and stores nothing', async () => {
      const small = await harness().open({ maxObjectBytes: 1024 });
      try {
        const error = await rejectsWith(
          small.put(`${space}/big`, Readable.from([randomBytes(1000), randomBytes(1000)]), {
            retainUntil: inADay(),
            contentType: 'text/plain',
          }),
          'OBJECT_TOO_LARGE',
        );
        expect(error.message).toContain('1024 bytes');
        expect(await small.head(`${space}/big`)).toBeUndefined();
        await small.put(`${space}/fits`, randomBytes(1024), { retainUntil: inADay(), contentType: 'text/plain' });
      } finally {
        await small.close();
      }
    });
  });
}
