import { verifyInclusion } from '@evidence-ledger/core';
import { Ledger } from '@evidence-ledger/ledger';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { LedgerStore, PostgresLedgerStore, SqliteLedgerStore } from '@evidence-ledger/store';
import { Benchmark, BenchContext, size } from './benchmark';
import { scratchSchema } from './databases';
import { BENCH_TENANT } from './events';
import { BENCH_ORIGIN_PREFIX, fillLog } from './log-fixture';
import { warmLedgerStore } from './ledger-ingest';
import { LatencyResult, measureLatency } from './measure';
import { Measurement } from './report';

// Inclusion-proof latency from storage: `ledger.inclusionProof(tenant, randomSeq)` one call at
// a time — the latest checkpoint plus O(log n) node reads — on the shared SQLite log (1M
// entries in a full run) and on a smaller PostgreSQL log. Target: p99 ≤ 1 ms.
export const proof: Benchmark = {
  name: 'proof',
  what: 'ledger.inclusionProof latency at random leaves: SQLite at 1M entries, PostgreSQL at 100k',
  postgres: false,
  async run(ctx) {
    const out: Measurement[] = [];
    const log = await ctx.sqliteLog();
    const sqlite = await SqliteLedgerStore.open(log.file);
    try {
      out.push(...rows('sqlite', `SQLite ${log.entries / 1000}k`, await proofLatency(ctx, sqlite, log.entries)));
    } finally {
      await sqlite.close();
    }
    if (ctx.postgresAvailable) {
      const scratch = await scratchSchema('proof');
      const pg = await PostgresLedgerStore.open(scratch.storeUrl);
      try {
        await pg.migrate();
        const entries = size(ctx, 100_000, 10_000);
        ctx.log(`  building a ${entries}-entry PostgreSQL log`);
        await warmLedgerStore(pg, 5000);
        await scratch.analyze();
        await fillLog(pg, entries - 5000);
        await scratch.analyze();
        out.push(...rows('postgres', `PG ${entries / 1000}k`, await proofLatency(ctx, pg, entries)));
      } finally {
        await pg.close();
        await scratch.drop();
      }
    }
    for (const m of out) ctx.log(`  ${m.name}: ${m.value.toFixed(3)} ms`);
    return out;
  },
};

async function proofLatency(ctx: BenchContext, store: LedgerStore, entries: number): Promise<LatencyResult> {
  const ledger = new Ledger({ store, signer: LocalKeySigner.generate(BENCH_ORIGIN_PREFIX), originPrefix: BENCH_ORIGIN_PREFIX });
  const samples = size(ctx, 10_000, 1000);
  const leaves = Array.from({ length: samples + 1000 }, () => Math.floor(Math.random() * entries));
  // The proofs are real: a sample is checked against the signed root before timing.
  for (const seq of leaves.slice(0, 20)) {
    const { proof: p, checkpoint } = await ledger.inclusionProof(BENCH_TENANT, seq);
    const entry = await store.getEntry(BENCH_TENANT, seq);
    if (!entry || !checkpoint || !verifyInclusion(p, entry.canonical, checkpoint.rootHash))
      throw new Error(`inclusion proof for entry ${seq} does not verify`);
  }
  return measureLatency({ warmup: 1000, samples }, (i) => ledger.inclusionProof(BENCH_TENANT, leaves[i % leaves.length]));
}

function rows(store: string, label: string, r: LatencyResult): Measurement[] {
  const details = { samples: r.samples, maxMs: r.max };
  return [
    { id: `proof.${store}.p50`, name: `inclusion proof, ${label}, p50`, value: r.p50, unit: 'ms', details },
    { id: `proof.${store}.p99`, name: `inclusion proof, ${label}, p99`, value: r.p99, unit: 'ms', details },
    { id: `proof.${store}.p999`, name: `inclusion proof, ${label}, p99.9`, value: r.p999, unit: 'ms', details },
  ];
}
