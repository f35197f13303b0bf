import { parseEventBatch } from '@evidence-ledger/core';
import { defaultPreparer, Ledger } from '@evidence-ledger/ledger';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { AppendSession, LedgerStore, PostgresLedgerStore, SqliteLedgerStore } from '@evidence-ledger/store';
import { Benchmark, BenchContext, size } from './benchmark';
import { scratchDir, scratchSchema } from './databases';
import { BENCH_PRODUCER, BENCH_TENANT, events } from './events';
import { BENCH_ORIGIN_PREFIX } from './log-fixture';
import { warmLedgerStore } from './ledger-ingest';
import { Measurement } from './report';

type Phase = 'lockAndCommit' | 'storeReads' | 'storeWrite' | 'sequence';

// Where the time of one `Ledger.append` goes, per event, from the outside: the store port is
// wrapped (no change to the ledger) to time the append session — taking the lock and
// committing, the reads inside it, the write — and what the sequencer does between those
// calls (entry bytes, leaf/chain/Merkle hashes, signing the checkpoint). Validation and
// canonical JSON happen before the queue; they are timed on identical events alone, with the
// ledger's own preparer. The rest
// of the wall time is after the commit: inclusion proofs and receipts for every event.
export const ingestSplits: Benchmark = {
  name: 'splits',
  what: 'Timing splits of Ledger.append per event (SQLite and PostgreSQL, 1000 ev/call; PostgreSQL 1 ev/call)',
  postgres: false,
  async run(ctx) {
    const out: Measurement[] = [];
    const dir = scratchDir('splits');
    const sqlite = await SqliteLedgerStore.open(dir.file('ledger.db'));
    try {
      await sqlite.migrate();
      out.push(...(await split(ctx, sqlite, 'SQLite', 'sqlite', 1000, size(ctx, 30_000, 3000))));
    } finally {
      await sqlite.close();
      dir.remove();
    }
    if (ctx.postgresAvailable) {
      const scratch = await scratchSchema('splits');
      const pg = await PostgresLedgerStore.open(scratch.storeUrl);
      try {
        await pg.migrate();
        await warmLedgerStore(pg, 5000);
        await scratch.analyze();
        out.push(...(await split(ctx, pg, 'PG', 'postgres', 1000, size(ctx, 30_000, 3000))));
        out.push(...(await split(ctx, pg, 'PG', 'postgres', 1, size(ctx, 1000, 100))));
      } finally {
        await pg.close();
        await scratch.drop();
      }
    }
    return out;
  },
};

async function split(
  ctx: BenchContext,
  store: LedgerStore,
  label: string,
  key: string,
  batch: number,
  count: number,
): Promise<Measurement[]> {
  const spent: Record<Phase, number> = { lockAndCommit: 0, storeReads: 0, storeWrite: 0, sequence: 0 };
  const timed = timedStore(store, spent);
  const ledger = new Ledger({ store: timed, signer: LocalKeySigner.generate(BENCH_ORIGIN_PREFIX), originPrefix: BENCH_ORIGIN_PREFIX });
  const send = async (evs: Record<string, unknown>[]) => {
    for (let i = 0; i < evs.length; i += batch)
      await ledger.append(BENCH_TENANT, BENCH_PRODUCER, batch === 1 ? evs[i] : evs.slice(i, i + batch));
  };
  await send(events(Math.min(count, 5 * batch))); // warm-up
  for (const p of Object.keys(spent) as Phase[]) spent[p] = 0;
  const evs = events(count);
  const started = performance.now();
  await send(evs);
  const wall = performance.now() - started;
  await ledger.close();

  // Prepared the way the ledger prepares (large batches shared with a second thread).
  const again = events(count);
  const preparer = defaultPreparer();
  const t = performance.now();
  for (let i = 0; i < again.length; i += batch) await preparer.prepare(parseEventBatch(again.slice(i, i + batch)));
  const prepare = performance.now() - t;
  await preparer.close();

  const session = spent.lockAndCommit + spent.storeReads + spent.storeWrite + spent.sequence;
  const phases: [string, string, number][] = [
    ['total', 'wall time', wall],
    ['prepare', 'validate + canonical JSON (before the queue)', prepare],
    ['sequence', 'entry bytes, hashes, Merkle, checkpoint signature', spent.sequence],
    ['write', 'store write (rows, checkpoint, head)', spent.storeWrite],
    ['reads', 'store reads in the session (head, event ids)', spent.storeReads],
    ['commit', 'lock + transaction + durable commit', spent.lockAndCommit],
    ['settle', 'after commit: inclusion proofs, receipts', wall - prepare - session],
  ];
  const id = `splits.${key}.b${batch}`;
  const out = phases.map(([phase, what, ms]): Measurement => ({
    id: `${id}.${phase}`,
    name: `${label} ${batch} ev/call: ${what}`,
    value: (ms * 1000) / count,
    unit: 'µs/ev',
    details: { events: count, share: ms / wall },
  }));
  ctx.log(`  ${label} ${batch} ev/call, µs per event: ${out.map((m, i) => `${phases[i][0]} ${m.value.toFixed(1)}`).join(', ')}`);
  return out;
}

// The store with its append session timed; every other call passes straight through.
function timedStore(store: LedgerStore, spent: Record<Phase, number>): LedgerStore {
  const withAppendSession: LedgerStore['withAppendSession'] = async (tenant, work) => {
    const started = performance.now();
    let inWork = 0;
    try {
      return await store.withAppendSession(tenant, async (session) => {
        const workStarted = performance.now();
        let inStore = 0;
        const clock =
          <A extends unknown[], R>(phase: Phase, f: (...a: A) => Promise<R>) =>
          async (...a: A): Promise<R> => {
            const t = performance.now();
            try {
              return await f(...a);
            } finally {
              const d = performance.now() - t;
              spent[phase] += d;
              inStore += d;
            }
          };
        const wrapped: AppendSession = {
          head: clock('storeReads', () => session.head()),
          findByIds: clock('storeReads', (ids) => session.findByIds(ids)),
          readNodes: clock('storeReads', (refs) => session.readNodes(refs)),
          append: clock('storeWrite', (rows, checkpoint, head) => session.append(rows, checkpoint, head)),
        };
        try {
          return await work(wrapped);
        } finally {
          inWork = performance.now() - workStarted;
          spent.sequence += inWork - inStore;
        }
      });
    } finally {
      spent.lockAndCommit += performance.now() - started - inWork;
    }
  };
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'withAppendSession') return withAppendSession;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
