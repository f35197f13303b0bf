import { closeSync, constants, fsyncSync, openSync, promises as fs, renameSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/**
 * Durable writes, the one place the code base fsyncs: a file's bytes before it is renamed or
 * linked into place, and the directory after, so that a crash leaves either the old or the new
 * file, never a mix or a lost entry. The only I/O in libs/core (every package that writes files
 * — store, signing, SDK, CLI — depends on core and on nothing else in common).
 */

/** Whether anything (file, directory, link) exists at `path`. */
export async function pathExists(path: string): Promise<boolean> {
  return fs.lstat(path).then(
    () => true,
    () => false,
  );
}

// Makes a new directory entry (a rename or link into `directory`) durable on POSIX; a no-op
// where directories cannot be opened or fsynced (Windows, some filesystems), where the rename
// is still atomic.
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await fs.open(directory, constants.O_RDONLY).catch(() => undefined);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

// Creates `path` (refused if it exists) with `contents`, fsynced before it is closed: the
// first half of a write-then-rename.
export async function writeSyncedFile(path: string, contents: string, mode: number): Promise<void> {
  const handle = await fs.open(path, 'wx', mode);
  try {
    await handle.writeFile(contents, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A sibling of `path` no other writer picks: `<path>.<pid>.<random>.tmp`. */
export function temporarySibling(path: string): string {
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

// Replaces `path` with `contents` atomically and durably: written and fsynced to a temporary
// sibling, renamed over `path`, the directory synced. The temporary file never outlives a failure.
export async function replaceFileDurably(path: string, contents: string, mode: number): Promise<void> {
  const temp = temporarySibling(path);
  try {
    await writeSyncedFile(temp, contents, mode);
    await fs.rename(temp, path);
    await syncDirectory(dirname(path));
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/**
 * The synchronous form for synchronous callers (the SDK's spool and trust state): replaces
 * `file` with `text` through `<file>.next`, fsynced, renamed over the file, and the rename made
 * durable by syncing the directory.
 */
export function writeFileDurably(file: string, text: string, mode = 0o600): void {
  const next = `${file}.next`;
  const fd = openSync(next, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(next, file);
  syncDirectorySync(dirname(file));
}

// Makes the directory's entries (a created or renamed file) durable; unlike `syncDirectory`
// a directory that cannot be synced is an error, as the SDK's spool has always treated it.
export function syncDirectorySync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
