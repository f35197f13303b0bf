import { LIMITS } from '@evidence-ledger/core';
import { InvalidOptionsError } from './errors';

export interface BatcherOptions {
  /** Most items per batch. */
  readonly maxBatchSize: number;
  /** Most bytes per batch (sum of item sizes); a single larger item still goes alone. */
  readonly maxBatchBytes: number;
  /** A batch goes out at the latest this long after its oldest item arrived. */
  readonly flushIntervalMs: number;
  /** Batches being sent at once; while all are busy, items keep gathering into the next one. */
  readonly maxConcurrentBatches: number;
}

interface Queued<T> {
  readonly item: T;
  readonly bytes: number;
  readonly seq: number;
  readonly at: number;
}

/**
 * Gathers items into batches and hands each to `send`: as soon as a batch is full (by count or
 * bytes), after `flushIntervalMs` at the latest, or at once on `flush()` — never more than
 * `maxConcurrentBatches` at a time. `send` owns the outcome of its batch and must not reject.
 *
 * Its timer runs only while items wait, so an idle batcher holds no handle open.
 */
export class Batcher<T> {
  private readonly queue: Queued<T>[] = [];
  private queuedBytes = 0;
  private nextSeq = 0;
  /** Items with a lower seq are sent without waiting for the interval. */
  private forceBelow = 0;
  private readonly inFlight = new Set<{ readonly firstSeq: number }>();
  private sentItems = 0;
  private timer: NodeJS.Timeout | undefined;
  private completed: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(
    private readonly options: BatcherOptions,
    private readonly send: (batch: T[]) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {
    assertBatcherOptions(options);
  }

  /** Items waiting or being sent. */
  get pending(): number {
    return this.queue.length + this.sentItems;
  }

  add(item: T, bytes: number): void {
    this.queue.push({ item, bytes, seq: this.nextSeq++, at: this.now() });
    this.queuedBytes += bytes;
    this.pump();
  }

  // Sends everything added so far without waiting for the interval, and resolves once all of
  // it has been through `send`. Items added meanwhile follow the usual rules.
  async flush(): Promise<void> {
    const barrier = this.nextSeq;
    this.forceBelow = Math.max(this.forceBelow, barrier);
    this.pump();
    while (this.oldestUnsentOrSending() < barrier) await this.nextCompletion();
  }

  /** Stops the timer; items still queued stay queued (call `flush()` first to send them). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    while (this.inFlight.size < this.options.maxConcurrentBatches && this.queue.length > 0 && this.due()) {
      this.dispatch(this.cut());
    }
    this.schedule();
  }

  private due(): boolean {
    const oldest = this.queue[0];
    return (
      this.queue.length >= this.options.maxBatchSize ||
      this.queuedBytes >= this.options.maxBatchBytes ||
      oldest.seq < this.forceBelow ||
      this.now() - oldest.at >= this.options.flushIntervalMs
    );
  }

  // The next batch: FIFO, up to the count and byte limits, at least one item.
  private cut(): Queued<T>[] {
    let n = 0;
    let bytes = 0;
    while (n < this.queue.length && n < this.options.maxBatchSize) {
      const next = this.queue[n].bytes;
      if (n > 0 && bytes + next > this.options.maxBatchBytes) break;
      bytes += next;
      n++;
    }
    this.queuedBytes -= bytes;
    return this.queue.splice(0, n);
  }

  private dispatch(batch: Queued<T>[]): void {
    const flight = { firstSeq: batch[0].seq };
    this.inFlight.add(flight);
    this.sentItems += batch.length;
    const done = () => {
      this.inFlight.delete(flight);
      this.sentItems -= batch.length;
      const completed = this.completed;
      this.completed = undefined;
      completed?.resolve();
      this.pump();
    };
    new Promise<void>((resolve) => resolve(this.send(batch.map((q) => q.item)))).then(done, done);
  }

  // The timer waits for the oldest item's deadline, and only when a batch could go out then.
  private schedule(): void {
    if (this.timer || this.queue.length === 0 || this.inFlight.size >= this.options.maxConcurrentBatches) return;
    const wait = Math.max(0, this.queue[0].at + this.options.flushIntervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, wait);
  }

  private oldestUnsentOrSending(): number {
    let oldest = this.queue.length > 0 ? this.queue[0].seq : Infinity;
    for (const f of this.inFlight) oldest = Math.min(oldest, f.firstSeq);
    return oldest;
  }

  private nextCompletion(): Promise<void> {
    if (!this.completed) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.completed = { promise, resolve };
    }
    return this.completed.promise;
  }
}

/** The ledger's request limit, less room for the array's brackets. */
export const MAX_BATCH_BYTES = LIMITS.maxBatchBytes - 16;

export function assertBatcherOptions(o: BatcherOptions): void {
  const whole = (field: keyof BatcherOptions, min: number, max: number) => {
    const v = o[field];
    if (!Number.isInteger(v) || v < min || v > max) throw new InvalidOptionsError(field, `must be a whole number from ${min} to ${max}`);
  };
  whole('maxBatchSize', 1, LIMITS.maxBatchEvents);
  whole('maxBatchBytes', 1024, MAX_BATCH_BYTES);
  whole('flushIntervalMs', 0, 3_600_000);
  whole('maxConcurrentBatches', 1, 64);
}
