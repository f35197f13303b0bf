import { Worker } from 'node:worker_threads';
import { StoredEntry } from '../ledger-store';
import { StoreError } from '../store-error';
import { translateSqliteError } from './sqlite-errors';

export interface EntryPageSource {
  /** Absolute path of the SQLite file. */
  readonly file: string;
  readonly logId: number;
  /** First sequence to read, and the end of the range (exclusive). */
  readonly from: number;
  readonly to: number;
  readonly pageSize: number;
  readonly busyTimeoutMs: number;
}

// Pages read ahead of the consumer: one being unpacked, one on its way, one being read.
const PAGES_AHEAD = 2;
const READER_YOUNG_GENERATION_MB = 8;
const READER_OLD_GENERATION_MB = 48;

// The reader thread: its own read-only connection, one page per 'more' message, each page
// packed into one transferable buffer — per row: sequence (float64), then id, canonical,
// leaf hash, chain hash and nodes, each as a uint32 length and its bytes. Plain JavaScript,
// evaluated as the worker's source, so it runs the same from sources (tests) and from dist.
const READER_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const Database = require(w.driver);
const db = new Database(w.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = ' + w.busyTimeoutMs);
const page = db
  .prepare('SELECT sequence, id, canonical, leaf_hash, chain_hash, nodes FROM entries WHERE log_id = ? AND sequence >= ? AND sequence < ? ORDER BY sequence LIMIT ?')
  .raw(true);
let cursor = w.from;
let done = false;
parentPort.on('message', () => {
  if (done) return;
  const rows = page.all(w.logId, cursor, w.to, w.pageSize);
  let size = 0;
  for (const r of rows) size += 8 + 20 + Buffer.byteLength(r[1]) + r[2].length + r[3].length + r[4].length + r[5].length;
  const out = Buffer.allocUnsafeSlow(size);
  let at = 0;
  const put = (bytes) => { out.writeUInt32LE(bytes.length, at); bytes.copy(out, at + 4); at += 4 + bytes.length; };
  for (const r of rows) {
    out.writeDoubleLE(r[0], at);
    at += 8;
    put(Buffer.from(r[1], 'utf8'));
    put(r[2]); put(r[3]); put(r[4]); put(r[5]);
  }
  done = rows.length < w.pageSize;
  if (rows.length > 0) cursor = rows[rows.length - 1][0] + 1;
  parentPort.postMessage({ page: out.buffer, rows: rows.length, last: done }, [out.buffer]);
});
`;

interface PageMessage {
  readonly page: ArrayBuffer;
  readonly rows: number;
  readonly last: boolean;
}

/**
 * Reads a long range of a log's entries on a second thread, so that reading SQLite pages and
 * whatever the consumer does with the entries (a verifier hashing them, an export writing
 * them) run on both cores. Entries come out in sequence order exactly as the store's own
 * reads give them, as views into one buffer per page. The thread is stopped when the
 * consumer finishes or leaves early, and never keeps the process alive.
 */
export async function* readEntryPages(source: EntryPageSource): AsyncGenerator<StoredEntry> {
  const worker = new Worker(READER_SOURCE, {
    eval: true,
    workerData: { ...source, driver: require.resolve('better-sqlite3') },
    // The reader holds one page at a time: a small heap keeps a long verification's peak
    // memory near the single-thread reader's (the default young generation alone is tens of MiB).
    resourceLimits: { maxYoungGenerationSizeMb: READER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: READER_OLD_GENERATION_MB },
  });
  worker.unref();
  const pages = new PageInbox(worker, source.file);
  try {
    for (let i = 0; i < PAGES_AHEAD; i++) worker.postMessage('more');
    for (;;) {
      const message = await pages.next();
      if (!message.last) worker.postMessage('more');
      yield* unpack(message);
      if (message.last) return;
    }
  } finally {
    await worker.terminate();
  }
}

function* unpack({ page, rows }: PageMessage): Generator<StoredEntry> {
  const bytes = Buffer.from(page);
  let at = 0;
  const take = (): Buffer => {
    const length = bytes.readUInt32LE(at);
    const view = bytes.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    return view;
  };
  for (let i = 0; i < rows; i++) {
    const sequence = bytes.readDoubleLE(at);
    at += 8;
    const id = take().toString('utf8');
    yield { sequence, id, canonical: take(), leafHash: take(), chainHash: take(), nodes: take() };
  }
}

// Messages from the reader thread, handed out in order; a failure of the thread fails the
// next read with the store's error.
class PageInbox {
  private readonly ready: PageMessage[] = [];
  private waiting: { resolve: (m: PageMessage) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(worker: Worker, file: string) {
    worker.on('message', (m: PageMessage) => {
      if (this.waiting) {
        this.waiting.resolve(m);
        this.waiting = undefined;
      } else this.ready.push(m);
    });
    const fail = (e: Error) => {
      const translated = translateSqliteError(e, `reading entries from ${file}`);
      this.failure ??=
        translated instanceof StoreError
          ? translated
          : new StoreError('STORE_UNAVAILABLE', `reading entries from ${file}: ${e.message}`, { cause: e });
      this.waiting?.reject(this.failure);
      this.waiting = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the reader thread stopped (exit code ${code})`)));
  }

  next(): Promise<PageMessage> {
    const m = this.ready.shift();
    if (m) return Promise.resolve(m);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }
}
