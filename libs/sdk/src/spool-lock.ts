import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SpoolError } from './errors';

export const LOCK_FILE = 'spool.lock';

// Directories locked by this process: a second client on the same spool would interleave
// writes with the first.
const lockedHere = new Set<string>();

/**
 * One live process per spool directory. The lock file holds the owner's pid; a lock left by a
 * process that no longer runs (killed, crashed) is taken over. A pid reused by an unrelated
 * live process is reported as a lock: remove the file by hand once you know no producer runs.
 */
export class SpoolLock {
  private constructor(
    private readonly dir: string,
    private readonly file: string,
  ) {}

  static acquire(dir: string): SpoolLock {
    const key = resolve(dir);
    if (lockedHere.has(key)) throw new SpoolError('SPOOL_LOCKED', `the spool ${dir} is already open in this process`);
    const file = join(dir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        try {
          writeSync(fd, `${process.pid}\n`);
        } finally {
          closeSync(fd);
        }
        lockedHere.add(key);
        return new SpoolLock(key, file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new SpoolError('SPOOL_FAILED', `cannot create ${file}: ${(e as Error).message}`, { cause: e });
        }
      }
      const owner = Number.parseInt(readOwner(file), 10);
      if (Number.isSafeInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new SpoolError('SPOOL_LOCKED', `the spool ${dir} is in use by process ${owner} (${file})`);
      }
      // Stale: its owner is gone (or it is this pid, reused after a restart in a container).
      removeIfPresent(file);
    }
    throw new SpoolError('SPOOL_LOCKED', `another process is taking the spool ${dir} at the same moment`);
  }

  release(): void {
    lockedHere.delete(this.dir);
    removeIfPresent(this.file);
  }
}

function removeIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

function readOwner(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
