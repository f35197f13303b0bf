import { promises as fs } from 'node:fs';
import { CliError } from '../cli-error';

/** Caps on what `record` reads, so a wrong path (a disk image, /dev/zero) fails fast. */
export const RECORD_INPUT_LIMITS = {
  /** `--data`: an event's data is at most 256 KiB canonical; pretty-printed JSON runs larger. */
  dataBytes: 1024 * 1024,
  /** `--sarif`: large scans produce tens of MiB. */
  sarifBytes: 64 * 1024 * 1024,
} as const;

// `--data` takes `@file.json`, `-` (standard input) or the JSON itself.
export async function readDataArgument(arg: string, stdin: AsyncIterable<Buffer | string>): Promise<unknown> {
  const [text, where] =
    arg === '-'
      ? [(await readLimited(stdin, RECORD_INPUT_LIMITS.dataBytes, 'standard input')).toString('utf8'), 'standard input']
      : arg.startsWith('@')
        ? [(await readFileLimited(arg.slice(1), RECORD_INPUT_LIMITS.dataBytes)).toString('utf8'), arg.slice(1)]
        : [arg, '--data'];
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError('INPUT_INVALID', `${where} is not valid JSON: ${(e as Error).message}`);
  }
}

export async function readFileLimited(path: string, limit: number): Promise<Buffer> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (cause) {
    throw new CliError('INPUT_UNAVAILABLE', `cannot read ${path}`, { cause });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new CliError('INPUT_INVALID', `${path} is not a regular file`);
    if (stat.size > limit) throw new CliError('INPUT_INVALID', `${path} is ${stat.size} bytes; the limit is ${limit}`);
    return await readLimited(handle.createReadStream(), limit, path);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function readLimited(stream: AsyncIterable<Buffer | string>, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > limit) throw new CliError('INPUT_INVALID', `${what} is larger than ${limit} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks, size);
}
