import { promises as fs } from 'node:fs';
import { CliError } from '../command/cli-error';

/** One line of a file, 1-based, without its newline. */
export interface FileLine {
  readonly number: number;
  readonly text: string;
  /** False for a last line that has no newline: the file was cut short. */
  readonly terminated: boolean;
}

const NEWLINE = 0x0a;

// Opens the file first so a missing or unreadable file is a CliError (exit 2), not a failure
// halfway through; then yields its lines as they stream in, of any length.
export async function openLines(path: string): Promise<AsyncIterable<FileLine>> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'r');
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw new CliError('INPUT_UNAVAILABLE', `${path} is not a regular file`);
    }
  } catch (cause) {
    if (cause instanceof CliError) throw cause;
    throw new CliError('INPUT_UNAVAILABLE', `cannot read ${path}`, { cause });
  }
  return lines(handle);
}

async function* lines(handle: fs.FileHandle): AsyncIterable<FileLine> {
  let number = 0;
  let carry: Buffer[] = [];
  try {
    for await (const chunk of handle.createReadStream({ highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
        const text =
          carry.length === 0 ? chunk.toString('utf8', start, end) : Buffer.concat([...carry, chunk.subarray(start, end)]).toString('utf8');
        carry = [];
        yield { number: ++number, text, terminated: true };
        start = end + 1;
      }
      if (start < chunk.length) carry.push(chunk.subarray(start));
    }
    if (carry.length > 0) yield { number: ++number, text: Buffer.concat(carry).toString('utf8'), terminated: false };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
