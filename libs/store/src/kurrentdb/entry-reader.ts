import type { ReadStreamOptions } from '@kurrent/kurrentdb-client';
import { StoreError } from '../store-error';
import { fromRecordedEvent } from './entry-event';
import { DecodedEntry } from './entry-metadata';
import { KurrentDbConnection } from './kurrentdb-connection';
import { isStreamNotFound } from './kurrentdb-errors';
import { readStartFor } from './stream-revision';

/** Turns a client failure into the port's error, saying what was being done. */
export type Translate = (error: unknown, doing: string) => StoreError;

/** Events per read request; a long range is read page by page, never in one response. */
export const PAGE_SIZE = 1000;

/**
 * Reads entries of one log stream. A stream that was never written is an empty log. Reads
 * check that revisions follow each other without gaps: KurrentDB numbers a stream's events
 * contiguously, so a gap means events were removed ($maxAge, $maxCount, $tb, scavenging) —
 * STORE_CORRUPT, never a shorter answer.
 */
export class EntryReader {
  constructor(
    private readonly connection: KurrentDbConnection,
    private readonly translate: Translate,
  ) {}

  /** Up to `count` entries from `from` on, ascending. */
  async forwards(stream: string, from: number, count: number, doing: string): Promise<DecodedEntry[]> {
    if (count <= 0) return [];
    const entries = await this.read(stream, { direction: 'forwards', fromRevision: readStartFor(from), maxCount: count }, doing);
    this.checkRun(stream, entries, from, 1);
    return entries;
  }

  /** Up to `count` entries from `from` (or the last one) down, descending. */
  async backwards(stream: string, from: number | 'end', count: number, doing: string): Promise<DecodedEntry[]> {
    if (count <= 0) return [];
    const start = from === 'end' ? 'end' : BigInt(from);
    const entries = await this.read(stream, { direction: 'backwards', fromRevision: start, maxCount: count }, doing);
    // Read backwards from past the end, the server starts at the last event.
    const first = entries[0]?.entry.sequence;
    if (first !== undefined && from !== 'end' && first > from) throw this.gap(stream, from);
    if (first !== undefined) this.checkRun(stream, entries, first, -1);
    return entries;
  }

  /** The log's last entry, or undefined for an empty log. */
  async last(stream: string, doing: string): Promise<DecodedEntry | undefined> {
    return (await this.backwards(stream, 'end', 1, doing))[0];
  }

  /** The entries at the given sequences that exist; runs of consecutive sequences are one read each. */
  async at(stream: string, sequences: readonly number[], doing: string): Promise<DecodedEntry[]> {
    const runs = consecutiveRuns(sequences);
    const read = await Promise.all(runs.map(([from, count]) => this.forwards(stream, from, count, doing)));
    return read.flat();
  }

  /** Entries [from, to), ascending, page by page. */
  async *range(stream: string, from: number, to: number, doing: string): AsyncIterable<DecodedEntry> {
    for (let cursor = from; cursor < to;) {
      const page = await this.forwards(stream, cursor, Math.min(PAGE_SIZE, to - cursor), doing);
      yield* page;
      if (page.length < Math.min(PAGE_SIZE, to - cursor)) return;
      cursor += page.length;
    }
  }

  private async read(stream: string, options: ReadStreamOptions, doing: string): Promise<DecodedEntry[]> {
    const out: DecodedEntry[] = [];
    try {
      for await (const resolved of this.connection.readStream(stream, options)) {
        if (resolved.event) out.push(fromRecordedEvent(resolved.event));
      }
    } catch (e) {
      if (isStreamNotFound(e)) return [];
      throw this.translate(e, doing);
    }
    return out;
  }

  private checkRun(stream: string, entries: readonly DecodedEntry[], first: number, step: 1 | -1): void {
    entries.forEach((d, i) => {
      if (d.entry.sequence !== first + i * step) throw this.gap(stream, first + i * step);
    });
  }

  private gap(stream: string, sequence: number): StoreError {
    return new StoreError('STORE_CORRUPT', `stream ${stream} has no event at revision ${sequence}: events were removed from the log`, {
      details: { stream, sequence },
    });
  }
}

// [3, 4, 5, 9, 1] → [[1, 1], [3, 3], [9, 1]]: (first sequence, count) per run.
export function consecutiveRuns(sequences: readonly number[]): [number, number][] {
  const sorted = [...new Set(sequences)].filter((s) => Number.isSafeInteger(s) && s >= 0).sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const s of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === s) last[1]++;
    else runs.push([s, 1]);
  }
  return runs;
}
