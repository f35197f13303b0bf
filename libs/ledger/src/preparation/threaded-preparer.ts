import { Worker } from 'node:worker_threads';
import { EventEnvelope, PreparedEvent, preparedFromSegments } from '@evidence-ledger/core';
import { EventPreparer, prepareInline } from './event-preparer';

/** Batches smaller than this are prepared inline: a thread round trip costs more than it saves. */
export const MIN_SHARED_BATCH = 256;
// The part of a batch the thread takes. The caller's thread pays JSON.stringify for it and
// prepares the rest meanwhile; the thread pays JSON.parse on top of the same work, so an even
// split would leave the caller waiting.
const THREAD_SHARE = 0.45;
const MAX_SLICES_OUT = 2;

// The preparing thread: parses the JSON text of a slice of a batch and canonicalizes each
// envelope exactly as `prepareEvent` does (the core's own code, from its build), returning
// the canonical segments. Plain JavaScript, evaluated as the worker's source, so it runs the
// same from sources (tests) and from dist.
const PREPARER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { CanonicalObject, SERVER_FIELDS } = require(workerData.core);
parentPort.on('message', (job) => {
  try {
    const envelopes = JSON.parse(job.text);
    parentPort.postMessage({ id: job.id, segments: envelopes.map((e) => CanonicalObject.of(e, SERVER_FIELDS).toSegments()) });
  } catch (e) {
    parentPort.postMessage({ id: job.id, error: String((e && e.message) || e) });
  }
});
`;

interface Reply {
  readonly id: number;
  readonly segments?: string[][];
  readonly error?: string;
}

/**
 * Prepares large batches on two cores: a second thread canonicalizes the tail of the batch
 * while the caller's thread does the head. The envelopes cross as JSON text, whose round trip
 * keeps every value `canonicalize` sees (validated envelopes hold only JSON values), and the
 * canonical segments come back as strings. Anything unexpected from the thread — an error, a
 * crash — falls back to preparing inline, so the result never depends on the thread.
 *
 * At most MAX_SLICES_OUT slices wait for the thread (under concurrent load it has the spare
 * core); a batch arriving beyond that is prepared inline. The thread starts with the first
 * large batch and never keeps the process alive.
 */
export class ThreadedPreparer implements EventPreparer {
  private worker?: Worker;
  private broken = false;
  private readonly out = new Map<number, (reply: Reply | undefined) => void>();
  private nextId = 0;
  private prepared = 0;

  /** Events the second thread has prepared so far. */
  get threadPrepared(): number {
    return this.prepared;
  }

  async prepare(envelopes: readonly EventEnvelope[]): Promise<PreparedEvent[]> {
    if (envelopes.length < MIN_SHARED_BATCH || this.out.size >= MAX_SLICES_OUT || this.broken) return prepareInline(envelopes);
    const split = envelopes.length - Math.floor(envelopes.length * THREAD_SHARE);
    const tail = envelopes.slice(split);
    const reply = this.send(JSON.stringify(tail));
    let head: PreparedEvent[];
    try {
      head = prepareInline(envelopes.slice(0, split));
    } catch (e) {
      await reply;
      throw e;
    }
    const segments = (await reply)?.segments;
    if (!segments || segments.length !== tail.length) return head.concat(prepareInline(tail, split));
    const shared = tail.map((e, i) => preparedFromSegments(e, segments[i], split + i));
    this.prepared += shared.length;
    return head.concat(shared);
  }

  async close(): Promise<void> {
    this.broken = true;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private send(text: string): Promise<Reply | undefined> {
    const worker = this.thread();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.out.set(id, (reply) => {
        this.out.delete(id);
        resolve(reply?.error === undefined ? reply : undefined);
      });
      worker.postMessage({ id, text });
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(PREPARER_SOURCE, {
      eval: true,
      workerData: { core: require.resolve('@evidence-ledger/core/dist/index.js') },
    });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      this.out.get(reply.id)?.(reply);
    });
    const fail = () => {
      this.broken = true;
      this.worker = undefined;
      for (const done of [...this.out.values()]) done(undefined);
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    this.worker = worker;
    return worker;
  }
}
