import { promises as fs } from 'node:fs';
import { CliError } from '../command/cli-error';

// Opens a segment file first, so a missing, unreadable or empty file is a CliError (exit 2),
// not a failure halfway through; then streams its bytes.
export async function openSegmentFile(path: string): Promise<AsyncIterable<Buffer>> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (cause) {
    throw new CliError('INPUT_UNAVAILABLE', `cannot read ${path}`, { cause });
  }
  const stat = await handle.stat();
  if (!stat.isFile() || stat.size === 0) {
    await handle.close();
    throw stat.isFile()
      ? new CliError('INPUT_INVALID', `${path} is empty, not a log segment`)
      : new CliError('INPUT_UNAVAILABLE', `${path} is not a regular file`);
  }
  return bytes(handle);
}

async function* bytes(handle: fs.FileHandle): AsyncIterable<Buffer> {
  try {
    yield* handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false }) as AsyncIterable<Buffer>;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
