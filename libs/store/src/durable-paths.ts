import { constants, promises as fs } from 'node:fs';

/** Whether anything (file, directory, link) exists at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  return fs.lstat(path).then(
    () => true,
    () => false,
  );
}

// Makes a new directory entry (a rename or link into `directory`) durable on POSIX; a no-op
// where directories cannot be opened or fsynced.
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await fs.open(directory, constants.O_RDONLY).catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}
