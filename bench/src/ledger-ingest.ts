import { LocalKeySigner } from '@evidence-ledger/signing';
import { Ledger } from '@evidence-ledger/ledger';
import { LedgerStore } from '@evidence-ledger/store';
import { BenchContext } from './benchmark';
import { BENCH_PRODUCER, BENCH_TENANT, events } from './events';
import { BENCH_ORIGIN_PREFIX } from './log-fixture';
import { concurrently, measureRate, RateResult } from './measure';
import { Measurement } from './report';

/** How an ingest benchmark sends events: `batch` per call one after another, or `writers` concurrent single-event callers. */
export type IngestMode =
  | { readonly kind: 'batch'; readonly batch: number; readonly events: number }
  | { readonly kind: 'concurrent'; readonly writers: number; readonly events: number };

export const modeKey = (m: IngestMode): string => (m.kind === 'batch' ? `b${m.batch}` : `c${m.writers}`);
export const modeLabel = (m: IngestMode): string => (m.kind === 'batch' ? `${m.batch} ev/call` : `${m.writers} concurrent writers`);

// `Ledger.append` into one tenant's log, receipts (signed checkpoint + inclusion proof)
// awaited for every call. Events are made before the clock starts; validation, canonical
// JSON, hashing, signing, the durable commit and the receipts are all on it. Commit stats
// come from the ledger's own onCommit hook.
export async function measureLedgerIngest(
  ctx: BenchContext,
  store: LedgerStore,
  label: string,
  idPrefix: string,
  modes: readonly IngestMode[],
): Promise<Measurement[]> {
  let commits = 0;
  let committed = 0;
  let commitMs = 0;
  const ledger = new Ledger({
    store,
    signer: LocalKeySigner.generate(BENCH_ORIGIN_PREFIX),
    originPrefix: BENCH_ORIGIN_PREFIX,
    onCommit: (s) => {
      commits++;
      committed += s.events;
      commitMs += s.durationMs;
    },
  });
  const out: Measurement[] = [];
  let appended = (await store.head(BENCH_TENANT)).treeSize;
  for (const mode of modes) {
    commits = committed = commitMs = 0;
    let wall = 0;
    const result: RateResult = await measureRate(ctx.rounds, () => {
      const evs = events(mode.events);
      appended += mode.events;
      return {
        count: mode.events,
        run: async () => {
          const t = performance.now();
          if (mode.kind === 'batch') {
            for (let i = 0; i < evs.length; i += mode.batch)
              await ledger.append(BENCH_TENANT, BENCH_PRODUCER, evs.slice(i, i + mode.batch));
          } else {
            await concurrently(evs.length, mode.writers, (i) => ledger.append(BENCH_TENANT, BENCH_PRODUCER, evs[i]));
          }
          wall += performance.now() - t;
        },
      };
    });
    out.push({
      id: `${idPrefix}.${modeKey(mode)}`,
      name: `${label} ledger, ${modeLabel(mode)}`,
      value: result.median,
      unit: 'ev/s',
      details: {
        eventsPerRound: mode.events,
        rounds: result.rounds,
        min: result.min,
        max: result.max,
        eventsPerCommit: committed / commits,
        // Share of wall time inside the sequencer's transaction (lock, hashing, write, sign, commit).
        commitShare: commitMs / wall,
      },
    });
    ctx.log(`  ${out[out.length - 1].name}: ${Math.round(result.median)} ev/s (${(committed / commits).toFixed(1)} ev/commit)`);
  }
  await ledger.close();
  const head = await store.head(BENCH_TENANT);
  if (head.treeSize !== appended) throw new Error(`${label}: log holds ${head.treeSize} entries, ${appended} were acknowledged`);
  return out;
}

// Writes `count` events (100 per call) through a throw-away Ledger: the table is no longer
// empty when the measured appends start (and, on PostgreSQL, when it is analyzed).
export async function warmLedgerStore(store: LedgerStore, count: number): Promise<void> {
  const ledger = new Ledger({ store, signer: LocalKeySigner.generate(BENCH_ORIGIN_PREFIX), originPrefix: BENCH_ORIGIN_PREFIX });
  for (let i = 0; i < count; i += 100) await ledger.append(BENCH_TENANT, BENCH_PRODUCER, events(Math.min(100, count - i)));
  await ledger.close();
}

// Sizes per mode: enough events for a round to last about a second in a full run.
export function ingestModes(ctx: BenchContext, writers: readonly number[]): IngestMode[] {
  const q = ctx.quick;
  return [
    { kind: 'batch', batch: 1, events: q ? 100 : 1500 },
    { kind: 'batch', batch: 100, events: q ? 2000 : 20_000 },
    { kind: 'batch', batch: 1000, events: q ? 5000 : 50_000 },
    ...writers.map((w): IngestMode => ({ kind: 'concurrent', writers: w, events: q ? 1000 : 5000 })),
  ];
}
