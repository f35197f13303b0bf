import { closeSync, fdatasync, ftruncate, mkdirSync, openSync, readFileSync, truncateSync, write } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SpoolError } from './errors';
import { OutgoingEvent, spooledEvent } from './ledger-event';
import { SpoolLock } from './spool-lock';
import { syncDirectorySync as syncDirectory, writeFileDurably } from '@evidence-ledger/core';

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);
const ftruncateAsync = promisify(ftruncate);

/** The file names inside a spool directory. */
export const SPOOL_FILE = 'spool.jsonl';

/** What opening a spool found on disk. */
export interface SpoolRecovery {
  /** Events spooled by an earlier process and not yet delivered, in the order they were recorded. */
  readonly events: readonly OutgoingEvent[];
  /** Bytes of an unfinished last line (a crash mid-write) that were cut off. */
  readonly tornTailBytes: number;
  /** Unreadable lines before the last good one (damage other than a torn tail), skipped. */
  readonly skippedLines: number;
}

interface PendingLine {
  readonly line: string;
  /** Whether the caller waits for the line to be on stable storage (fdatasync). */
  readonly durable: boolean;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

const EVENT_PREFIX = '{"event":';

/**
 * An append-only journal of the events a producer has recorded but the ledger has not yet
 * acknowledged, so they survive both a ledger outage and a producer restart.
 *
 * One JSON object per line: `{"event":<the event JSON as posted>}` when an event is recorded,
 * `{"delivered":[ids]}` once the ledger acknowledged them, `{"rejected":[ids]}` once it refused
 * them for good. An event line is on stable storage (fdatasync) before `append` resolves; the
 * lines of all appends waiting at that moment share one write and one sync. Settlement lines
 * are not synced: if one is lost in a crash the event is sent again, and the ledger answers
 * the repeated id with its original receipt.
 *
 * Opening a spool reads it back: an unfinished last line (crash mid-write) is cut off, every
 * event without a settlement line is returned for re-sending. The file is emptied as soon as
 * nothing is outstanding, and rewritten with only the outstanding events once it grows past
 * `compactAtBytes` while mostly settled.
 */
export class Spool {
  private fd: number;
  private size: number;
  private readonly outstanding = new Map<string, string>();
  private outstandingBytes = 0;
  private queue: PendingLine[] = [];
  private draining: Promise<void> | undefined;
  private failure: SpoolError | undefined;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly lock: SpoolLock,
    private readonly compactAtBytes: number,
    recovered: { fd: number; size: number; events: readonly OutgoingEvent[] },
  ) {
    this.fd = recovered.fd;
    this.size = recovered.size;
    for (const e of recovered.events) this.track(e.id, e.json);
  }

  // Locks the directory (one live process per spool), recovers the file and opens it for
  // appending. Synchronous: it runs once, when a client is created.
  static open(dir: string, options: { compactAtBytes?: number } = {}): { spool: Spool; recovery: SpoolRecovery } {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (cause) {
      throw new SpoolError('SPOOL_FAILED', `cannot create the spool directory ${dir}`, { cause });
    }
    const lock = SpoolLock.acquire(dir);
    try {
      const file = join(dir, SPOOL_FILE);
      const recovery = recoverFile(file);
      // The spool holds events not yet delivered: its owner's only.
      const fd = openSync(file, 'a', 0o600);
      syncDirectory(dir);
      const spool = new Spool(dir, lock, options.compactAtBytes ?? 64 * 1024 * 1024, { fd, size: recovery.size, events: recovery.events });
      return { spool, recovery };
    } catch (cause) {
      lock.release();
      if (cause instanceof SpoolError) throw cause;
      throw new SpoolError('SPOOL_FAILED', `cannot open the spool in ${dir}: ${(cause as Error).message}`, { cause });
    }
  }

  /** Events recorded and not yet settled. */
  get outstandingEvents(): number {
    return this.outstanding.size;
  }

  /** Writes the event and resolves once it is on stable storage. */
  append(event: OutgoingEvent): Promise<void> {
    if (this.outstanding.has(event.id)) return Promise.resolve();
    this.track(event.id, event.json);
    return this.enqueue(`${EVENT_PREFIX}${event.json}}\n`, true).catch((e) => {
      this.untrack(event.id);
      throw e;
    });
  }

  /** Records that the ledger acknowledged these events: they will not be sent again. */
  markDelivered(ids: readonly string[]): Promise<void> {
    return this.settle('delivered', ids);
  }

  /** Records that the ledger refused these events for good: they will not be sent again. */
  markRejected(ids: readonly string[]): Promise<void> {
    return this.settle('rejected', ids);
  }

  /** Finishes pending writes, empties the file if nothing is outstanding, and unlocks the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.draining) await this.draining;
    try {
      closeSync(this.fd);
    } finally {
      this.lock.release();
    }
  }

  /** Unlocks a spool that was opened but never used (its owner failed to start). */
  abandon(): void {
    this.closed = true;
    try {
      closeSync(this.fd);
    } finally {
      this.lock.release();
    }
  }

  private settle(kind: 'delivered' | 'rejected', ids: readonly string[]): Promise<void> {
    const known = ids.filter((id) => this.outstanding.has(id));
    if (known.length === 0) return Promise.resolve();
    for (const id of known) this.untrack(id);
    return this.enqueue(`${JSON.stringify({ [kind]: known })}\n`, false);
  }

  private enqueue(line: string, durable: boolean): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new SpoolError('SPOOL_FAILED', 'the spool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ line, durable, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  // Group commit: everything queued goes out in one write, then one fdatasync if any caller
  // waits for durability.
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue;
        this.queue = [];
        try {
          const buffer = Buffer.from(group.map((p) => p.line).join(''), 'utf8');
          await writeFully(this.fd, buffer);
          this.size += buffer.length;
          if (group.some((p) => p.durable)) await fdatasyncAsync(this.fd);
          for (const p of group) p.resolve();
        } catch (cause) {
          // A failed write may have left half a line: refuse everything from now on; the next
          // open cuts the torn tail and re-sends whatever was outstanding.
          this.failure = new SpoolError('SPOOL_FAILED', `writing the spool in ${this.dir} failed: ${(cause as Error).message}`, { cause });
          for (const p of [...group, ...this.queue.splice(0)]) p.reject(this.failure);
          return;
        }
        if (this.queue.length === 0) await this.compact();
      }
    } finally {
      this.draining = undefined;
    }
  }

  private async compact(): Promise<void> {
    if (this.outstanding.size === 0) {
      if (this.size > 0) {
        await ftruncateAsync(this.fd, 0);
        this.size = 0;
      }
      return;
    }
    if (this.size < this.compactAtBytes || this.outstandingBytes > this.size / 4) return;
    // Rewrite with only the outstanding events: a new file, synced, renamed over the old one.
    const file = join(this.dir, SPOOL_FILE);
    const text = [...this.outstanding.values()].map((json) => `${EVENT_PREFIX}${json}}\n`).join('');
    writeFileDurably(file, text, 0o600);
    closeSync(this.fd);
    this.fd = openSync(file, 'a', 0o600);
    this.size = Buffer.byteLength(text, 'utf8');
  }

  private track(id: string, json: string): void {
    this.outstanding.set(id, json);
    this.outstandingBytes += json.length + EVENT_PREFIX.length + 2;
  }

  private untrack(id: string): void {
    const json = this.outstanding.get(id);
    if (json === undefined) return;
    this.outstanding.delete(id);
    this.outstandingBytes -= json.length + EVENT_PREFIX.length + 2;
  }
}

// Reads a spool file back. Everything after the last line that parses is a torn tail (a crash
// mid-write, or a write that failed) and is cut off, so later appends start on a clean line.
function recoverFile(file: string): { events: OutgoingEvent[]; size: number; tornTailBytes: number; skippedLines: number } {
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], size: 0, tornTailBytes: 0, skippedLines: 0 };
    throw e;
  }
  const outstanding = new Map<string, string>();
  let goodEnd = 0;
  let badSinceGood = 0;
  let skippedLines = 0;
  for (let start = 0; start < text.length;) {
    const newline = text.indexOf(0x0a, start);
    if (newline < 0) break;
    const line = text.subarray(start, newline).toString('utf8');
    if (applyLine(line, outstanding)) {
      skippedLines += badSinceGood;
      badSinceGood = 0;
      goodEnd = newline + 1;
    } else {
      badSinceGood++;
    }
    start = newline + 1;
  }
  const tornTailBytes = text.length - goodEnd;
  // Nothing outstanding: start from an empty file. Otherwise cut the torn tail, if any — by
  // truncating, so the lines before it are never rewritten (nor at risk).
  const keep = outstanding.size === 0 ? 0 : goodEnd;
  if (keep < text.length) truncateSync(file, keep);
  const events = [...outstanding.values()].map(spooledEvent);
  return { events, size: keep, tornTailBytes, skippedLines };
}

// Applies one line to the outstanding set; false when the line is not a spool record.
function applyLine(line: string, outstanding: Map<string, string>): boolean {
  let record: { event?: { id?: unknown }; delivered?: unknown; rejected?: unknown };
  try {
    record = JSON.parse(line) as typeof record;
  } catch {
    return false;
  }
  if (typeof record !== 'object' || record === null) return false;
  if (record.event && typeof record.event.id === 'string' && line.startsWith(EVENT_PREFIX)) {
    outstanding.set(record.event.id, line.slice(EVENT_PREFIX.length, -1));
    return true;
  }
  const settled = record.delivered ?? record.rejected;
  if (Array.isArray(settled)) {
    for (const id of settled) outstanding.delete(String(id));
    return true;
  }
  return false;
}

async function writeFully(fd: number, buffer: Buffer): Promise<void> {
  for (let offset = 0; offset < buffer.length;) {
    const { bytesWritten } = await writeAsync(fd, buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}

// A new or renamed file is durable only once its directory entry is: fsync the directory.
