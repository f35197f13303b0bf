/** One line of a segment, 1-based, without its newline. */
export interface SegmentLine {
  readonly number: number;
  readonly text: string;
  /** False for a last line without a newline: the object was cut short. */
  readonly terminated: boolean;
}

/** A line longer than any entry line can be (an event is at most 256 KiB canonical). */
export const MAX_SEGMENT_LINE_BYTES = 1 << 20;

export class LineTooLongError extends Error {
  constructor(readonly line: number) {
    super(`line ${line} is longer than ${MAX_SEGMENT_LINE_BYTES} bytes`);
    this.name = 'LineTooLongError';
  }
}

const NEWLINE = 0x0a;

// Splits a byte stream into lines as it arrives, holding at most one line in memory.
export async function* segmentLines(source: AsyncIterable<Buffer>, maxLineBytes = MAX_SEGMENT_LINE_BYTES): AsyncIterable<SegmentLine> {
  let number = 0;
  let carry: Buffer[] = [];
  let carryBytes = 0;
  for await (const chunk of source) {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
      if (carryBytes + end - start > maxLineBytes) throw new LineTooLongError(number + 1);
      const text =
        carry.length === 0 ? chunk.toString('utf8', start, end) : Buffer.concat([...carry, chunk.subarray(start, end)]).toString('utf8');
      carry = [];
      carryBytes = 0;
      yield { number: ++number, text, terminated: true };
      start = end + 1;
    }
    if (start < chunk.length) {
      carry.push(chunk.subarray(start));
      carryBytes += chunk.length - start;
      if (carryBytes > maxLineBytes) throw new LineTooLongError(number + 1);
    }
  }
  if (carry.length > 0) yield { number: ++number, text: Buffer.concat(carry).toString('utf8'), terminated: false };
}

// The sequence an unparseable entry line claims, to say which entry is damaged.
export function claimedSequence(text: string): number | undefined {
  const match = /"sequence":(\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}

// The tree size a checkpoint note claims before its signature is checked (only to name it).
export function claimedTreeSize(note: string): number | undefined {
  const size = note.split('\n')[1];
  return size !== undefined && /^(0|[1-9]\d{0,15})$/.test(size) ? Number(size) : undefined;
}
