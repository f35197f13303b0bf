import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskArchiveStore } from './disk-archive-store';
import { archiveStoreContract, DAY_MS, readAll, rejectsWith, sha256Hex } from '../testing/archive-store.contract';

const directories: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'archive-'));
  directories.push(dir);
  return dir;
};
afterAll(() => directories.forEach((d) => rmSync(d, { recursive: true, force: true })));

archiveStoreContract('the disk archive', () => ({ open: (options) => DiskArchiveStore.open(scratch(), options) }));

describe('the disk archive', () => {
  const T0 = new Date('2026-01-01T00:00:00Z');
  let now: Date;
  let dir: string;
  let store: DiskArchiveStore;
  beforeEach(async () => {
    now = T0;
    dir = scratch();
    store = await DiskArchiveStore.open(dir, { clock: () => now });
  });

  it('writes the object and its record read-only, the record naming digest and retain-until date', async () => {
    const bytes = Buffer.from('segment bytes\n');
    const retainUntil = new Date('2032-01-01T00:00:00Z');
    await store.put('segments/acme/a.jsonl', bytes, { retainUntil, contentType: 'application/x-ndjson' });
    expect(lstatSync(join(dir, 'segments/acme/a.jsonl')).mode & 0o777).toBe(0o400);
    expect(lstatSync(join(dir, '.meta/segments/acme/a.jsonl.json')).mode & 0o777).toBe(0o400);
    for (const sub of ['segments', 'segments/acme', '.meta', '.meta/segments/acme'])
      expect([sub, lstatSync(join(dir, sub)).mode & 0o777]).toEqual([sub, 0o700]);
    expect(JSON.parse(readFileSync(join(dir, '.meta/segments/acme/a.jsonl.json'), 'utf8'))).toMatchObject({
      format: 'evidence-ledger/archive-object/v1',
      key: 'segments/acme/a.jsonl',
      sha256: sha256Hex(bytes),
      retainUntil: '2032-01-01T00:00:00.000Z',
      legalHold: false,
    });
    expect(await store.head('segments/acme/a.jsonl')).toMatchObject({ lockMode: 'DISK', retainUntil });
  });

  it('deletes an object once its retention has passed, not a moment before', async () => {
    await store.put('k', Buffer.from('x'), { retainUntil: new Date(T0.getTime() + DAY_MS), contentType: 'text/plain' });
    now = new Date(T0.getTime() + DAY_MS - 1);
    await rejectsWith(store.delete('k'), 'RETENTION_ACTIVE');
    now = new Date(T0.getTime() + DAY_MS);
    await store.delete('k');
    expect(await store.head('k')).toBeUndefined();
    expect(existsSync(join(dir, '.meta/k.json'))).toBe(false);
  });

  it('detects a changed byte when the object is read', async () => {
    await store.put('k', Buffer.from('0123456789'), { retainUntil: new Date(T0.getTime() + DAY_MS), contentType: 'text/plain' });
    chmodSync(join(dir, 'k'), 0o644);
    writeFileSync(join(dir, 'k'), '0123456788');
    const { body } = await store.get('k');
    await rejectsWith(readAll(body), 'ARCHIVE_CORRUPT');
  });

  it('treats an object whose record is gone as damaged, never as free to delete', async () => {
    await store.put('k', Buffer.from('x'), { retainUntil: new Date(T0.getTime() + DAY_MS), contentType: 'text/plain' });
    rmSync(join(dir, '.meta/k.json'));
    now = new Date(T0.getTime() + 2 * DAY_MS);
    await rejectsWith(store.delete('k'), 'ARCHIVE_CORRUPT');
    expect(existsSync(join(dir, 'k'))).toBe(true);
  });

  it('does not follow a symbolic link planted at a key', async () => {
    const outside = join(scratch(), 'secret');
    writeFileSync(outside, 'not archive data');
    symlinkSync(outside, join(dir, 'planted'));
    await rejectsWith(store.get('planted'), 'ARCHIVE_CORRUPT');
    const keys: string[] = [];
    for await (const item of store.list('')) keys.push(item.key);
    expect(keys).toEqual([]);
  });

  it('refuses a directory it cannot write to', async () => {
    const file = join(scratch(), 'a-file');
    writeFileSync(file, '');
    await rejectsWith(DiskArchiveStore.open(join(file, 'archive')), 'ARCHIVE_UNAVAILABLE');
  });
});
