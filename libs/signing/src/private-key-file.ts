import { constants, promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { pathExists, replaceFileDurably, syncDirectory, temporarySibling, writeSyncedFile } from '@evidence-ledger/core';
import { SigningError } from './signing-error';

const OWNER_ONLY = 0o600;
const GROUP_OR_OTHER = 0o077;

// Reads a private key file, or undefined if there is none. Refuses (KEY_FILE_INSECURE) a file
// that group or others may read or write — like ssh, a key others can read is a leaked key.
// Permissions are checked on the open handle, so the file checked is the file read.
export async function readPrivateKeyFile(keyFile: string): Promise<string | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(keyFile, constants.O_RDONLY);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SigningError('KEY_FILE_UNAVAILABLE', `cannot open private key file ${keyFile}`, { cause });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new SigningError('KEY_FILE_INVALID', `private key file ${keyFile} is not a regular file`);
    if (process.platform !== 'win32' && (stat.mode & GROUP_OR_OTHER) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw new SigningError(
        'KEY_FILE_INSECURE',
        `private key file ${keyFile} has mode ${mode}; it must be readable by its owner only ` +
          `(chmod 600 ${keyFile}), and the key should be rotated if others could read it`,
      );
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

// Creates the key file with mode 0600 (parent directories 0700), durably and atomically: the
// key is written and fsynced to a temp file, then hard-linked into place, which — unlike a
// rename — never replaces a key another process created meanwhile. Returns false in that case
// (the caller then loads the winner's key). Falls back to rename where hard links are not
// supported.
export async function createPrivateKeyFile(keyFile: string, pem: string): Promise<boolean> {
  const directory = dirname(keyFile);
  const temp = temporarySibling(keyFile);
  try {
    await fs.mkdir(directory, { recursive: true, mode: 0o700 });
    await writeSyncedFile(temp, pem, OWNER_ONLY);
    const created = await linkOrRename(temp, keyFile);
    await syncDirectory(directory);
    return created;
  } catch (cause) {
    throw new SigningError('KEY_FILE_UNAVAILABLE', `cannot create private key file ${keyFile}`, { cause });
  } finally {
    await fs.rm(temp, { force: true });
  }
}

// Replaces `path` with `contents` atomically (temp file + rename), for derived public files.
export async function replaceFileAtomically(path: string, contents: string, mode: number): Promise<void> {
  try {
    await replaceFileDurably(path, contents, mode);
  } catch (cause) {
    throw new SigningError('KEY_FILE_UNAVAILABLE', `cannot write ${path}`, { cause });
  }
}

async function linkOrRename(temp: string, target: string): Promise<boolean> {
  try {
    await fs.link(temp, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error;
  }
  if (await pathExists(target)) return false;
  await fs.rename(temp, target);
  return true;
}
