import { ForensicsProjection, ForensicsReader, ProjectionRunner } from '@evidence-ledger/forensics';
import { LedgerStore, PostgresLedgerStore, forensicsStoreOf, SqliteLedgerStore } from '@evidence-ledger/store';
import { Benchmark, BenchContext, size } from './benchmark';
import { scratchSchema } from './databases';
import { BENCH_TENANT } from './events';
import { fillForensicsLog, sharedForensicsLog } from './forensics-log';
import { LatencyResult, measureLatency } from './measure';
import { Measurement } from './report';

// The timeline of one change among many, as `GET /v1/changes/:id/timeline` serves it
// (ForensicsReader.timeline): the change's row and its steps (one indexed read each), its
// exceptions, and — with proofs — the entries' bytes and one read of every Merkle node
// their inclusion proofs need. Random changes, one call at a time, on the shared SQLite log
// (1M entries) and on a PostgreSQL log of 100k. Target: p99 ≤ 25 ms at 1M.
export const timeline: Benchmark = {
  name: 'timeline',
  what: 'Change timeline latency (with and without a proof per step) at random changes: SQLite at 1M entries, PostgreSQL at 100k',
  postgres: false,
  async run(ctx) {
    const out: Measurement[] = [];
    const log = await sharedForensicsLog(ctx);
    const sqlite = await SqliteLedgerStore.open(log.file);
    try {
      await caughtUp(sqlite);
      out.push(...(await measure(ctx, sqlite, log.changes, 'sqlite', `SQLite ${log.entries / 1000}k`)));
    } finally {
      await sqlite.close();
    }
    if (ctx.postgresAvailable) {
      const scratch = await scratchSchema('timeline');
      const pg = await PostgresLedgerStore.open(scratch.storeUrl);
      try {
        await pg.migrate();
        const entries = size(ctx, 100_000, 10_000);
        ctx.log(`  building a ${entries / 1000}k-entry PostgreSQL log of change histories`);
        const built = await fillForensicsLog(pg, entries);
        await caughtUp(pg);
        await scratch.analyze();
        out.push(...(await measure(ctx, pg, built.changes, 'postgres', `PG ${entries / 1000}k`)));
      } finally {
        await pg.close();
        await scratch.drop();
      }
    }
    for (const m of out) ctx.log(`  ${m.name}: ${m.value.toFixed(3)} ms`);
    return out;
  },
};

async function caughtUp(store: LedgerStore): Promise<void> {
  const tables = forensicsStoreOf(store);
  const projection = new ForensicsProjection();
  await tables.migrate({ tables: projection.tables });
  await new ProjectionRunner({ store: tables, tenant: BENCH_TENANT, projections: [projection], batchSize: 1000 }).catchUp();
}

async function measure(ctx: BenchContext, store: LedgerStore, changes: string[], id: string, label: string): Promise<Measurement[]> {
  const reader = new ForensicsReader(store, forensicsStoreOf(store));
  const samples = size(ctx, 5000, 500);
  const picks = Array.from({ length: samples + 500 }, () => changes[Math.floor(Math.random() * changes.length)]);
  const sample = await reader.timeline(BENCH_TENANT, picks[0], { limit: 1000, proofs: true });
  if (sample.steps.length === 0 || !sample.checkpoint || !sample.steps.every((s) => s.evidence))
    throw new Error(`the timeline of ${picks[0]} came back without steps or proofs`);
  const withProofs = await measureLatency({ warmup: 500, samples }, (i) =>
    reader.timeline(BENCH_TENANT, picks[i], { limit: 1000, proofs: true }),
  );
  const bare = await measureLatency({ warmup: 500, samples }, (i) =>
    reader.timeline(BENCH_TENANT, picks[i], { limit: 1000, proofs: false }),
  );
  const replay = await measureLatency({ warmup: 200, samples: Math.floor(samples / 2) }, (i) =>
    reader.replay(BENCH_TENANT, picks[i], undefined, { proofs: true }),
  );
  return [
    ...rows(`timeline.${id}`, `timeline + proofs, ${label}`, withProofs, sample.steps.length),
    ...rows(`timeline.${id}.bare`, `timeline, no proofs, ${label}`, bare, sample.steps.length),
    ...rows(`replay.${id}`, `replay + proofs, ${label}`, replay, sample.steps.length),
  ];
}

function rows(id: string, label: string, r: LatencyResult, steps: number): Measurement[] {
  const details = { samples: r.samples, maxMs: r.max, stepsInFirstSample: steps };
  return [
    { id: `${id}.p50`, name: `${label}, p50`, value: r.p50, unit: 'ms', details },
    { id: `${id}.p99`, name: `${label}, p99`, value: r.p99, unit: 'ms', details },
  ];
}
