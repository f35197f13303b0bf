import { LocalKeySigner } from '@evidence-ledger/signing';
import { Ledger } from '@evidence-ledger/ledger';
import { LedgerStore, SqliteLedgerStore } from '@evidence-ledger/store';
import { BENCH_PRODUCER, BENCH_TENANT, events } from './events';
import { concurrently, now, seconds } from './measure';

export const BENCH_ORIGIN_PREFIX = 'bench.evidence-ledger';

/** A log written through `Ledger.append`, ready to verify or prove against. */
export interface BuiltLog {
  readonly file: string;
  readonly tenant: string;
  readonly origin: string;
  /** The checkpoint key's note verifier key (`name+hash+key`). */
  readonly verifierKey: string;
  readonly entries: number;
  readonly checkpoints: number;
  /** Append rate while building, events generated on the fly included. */
  readonly rate: number;
  readonly meanEntryBytes: number;
}

const CALL_EVENTS = 1000;
const IN_FLIGHT = 8;

// Adds `count` events to the bench tenant's log in `store` as fast as the ledger takes them: calls of 1000 events
// (the API's maximum), 8 in flight so the sequencer group-commits up to 5000 per transaction.
export async function fillLog(store: LedgerStore, count: number, onProgress?: (done: number) => void): Promise<Omit<BuiltLog, 'file'>> {
  const signer = LocalKeySigner.generate(BENCH_ORIGIN_PREFIX);
  const ledger = new Ledger({ store, signer, originPrefix: BENCH_ORIGIN_PREFIX });
  const before = (await store.head(BENCH_TENANT)).treeSize;
  let checkpoints = 0;
  let acknowledged = 0;
  const calls = Math.ceil(count / CALL_EVENTS);
  const started = now();
  await concurrently(calls, IN_FLIGHT, async (i) => {
    const receipts = await ledger.append(BENCH_TENANT, BENCH_PRODUCER, events(Math.min(CALL_EVENTS, count - i * CALL_EVENTS)));
    acknowledged += receipts.length;
    if (onProgress && (i + 1) % 100 === 0) onProgress((i + 1) * CALL_EVENTS);
  });
  const rate = count / seconds(started);
  await ledger.close();
  for await (const _ of store.readCheckpoints(BENCH_TENANT)) checkpoints++;
  const head = await store.head(BENCH_TENANT);
  if (head.treeSize !== before + count || acknowledged !== count) {
    throw new Error(`log holds ${head.treeSize} entries, expected ${before + count}`);
  }
  let sampled = 0;
  let sampledBytes = 0;
  for await (const e of store.readEntries(BENCH_TENANT, 0, Math.min(count, 1000))) {
    sampled++;
    sampledBytes += e.canonical.length;
  }
  return {
    tenant: BENCH_TENANT,
    origin: ledger.origin(BENCH_TENANT),
    verifierKey: signer.verifierKey(),
    entries: head.treeSize,
    checkpoints,
    rate,
    meanEntryBytes: sampledBytes / sampled,
  };
}

export async function buildSqliteLog(file: string, count: number, onProgress?: (done: number) => void): Promise<BuiltLog> {
  const store = await SqliteLedgerStore.open(file);
  try {
    await store.migrate();
    return { file, ...(await fillLog(store, count, onProgress)) };
  } finally {
    await store.close();
  }
}
