import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Replaces `file` with `text` so that a crash leaves either the old or the new content, never
 * a mix: written to a sibling, fsynced, renamed over the file, and the rename made durable by
 * syncing the directory.
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
  syncDirectory(dirname(file));
}

// Makes the directory's entries (a created or renamed file) durable.
export function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
