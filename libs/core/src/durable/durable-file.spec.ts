import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathExists, replaceFileDurably, syncDirectory, writeFileDurably, writeSyncedFile } from './durable-file';

describe('durable writes', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'durable-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces a file with its new contents and mode, leaving no temporary file', async () => {
    const file = join(dir, 'key.pub');
    writeFileSync(file, 'old');
    await replaceFileDurably(file, 'new', 0o644);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir)).toEqual(['key.pub']);
  });

  it('removes the temporary file when the rename fails, and says why', async () => {
    writeFileSync(join(dir, 'keep'), '');
    // A directory in the way: renaming a file over a non-empty directory is refused.
    const blocker = join(dir, 'blocked');
    mkdirSync(join(blocker, 'inside'), { recursive: true });
    await expect(replaceFileDurably(blocker, 'x', 0o600)).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(readdirSync(dir).sort()).toEqual(['blocked', 'keep']);
  });

  it('refuses to create a synced file over an existing one', async () => {
    const file = join(dir, 'once');
    await writeSyncedFile(file, 'first', 0o600);
    await expect(writeSyncedFile(file, 'second', 0o600)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(file, 'utf8')).toBe('first');
  });

  it('writes synchronously through a sibling renamed into place', () => {
    const file = join(dir, 'trust.json');
    writeFileDurably(file, '{"a":1}\n');
    writeFileDurably(file, '{"a":2}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"a":2}\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['trust.json']);
  });

  it('syncs a directory, and tolerates one that cannot be opened', async () => {
    await expect(syncDirectory(dir)).resolves.toBeUndefined();
    await expect(syncDirectory(join(dir, 'missing'))).resolves.toBeUndefined();
    expect(await pathExists(dir)).toBe(true);
    expect(await pathExists(join(dir, 'missing'))).toBe(false);
  });
});
