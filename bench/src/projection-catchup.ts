import { ForensicsProjection, ProjectionRunner } from '@evidence-ledger/forensics';
import { projectEntry } from '@evidence-ledger/core';
import { forensicsStoreOf, SqliteLedgerStore } from '@evidence-ledger/store';
import { Benchmark } from './benchmark';
import { BENCH_TENANT } from './events';
import { sharedForensicsLog } from './forensics-log';
import { now, seconds } from './measure';
import { Measurement } from './report';

// Projection catch-up from an empty position over the shared SQLite log of change histories
// (1M entries; 100k with --quick): every entry read in order, parsed, folded into the five
// forensics tables and written with the position, 1000 entries per transaction. Beside it, on
// the same file in the same run: reading the entries in order alone, and reading + parsing.
export const projectionCatchup: Benchmark = {
  name: 'projection-catchup',
  what: 'Projection catch-up (all forensics tables) over a 1M-entry SQLite log of change histories (100k with --quick), vs the raw ordered read',
  postgres: false,
  async run(ctx) {
    const log = await sharedForensicsLog(ctx);
    const store = await SqliteLedgerStore.open(log.file);
    try {
      const read = await timed(async () => {
        let n = 0;
        for await (const _ of store.readEntries(BENCH_TENANT, 0)) n++;
        return n;
      });
      const parse = await timed(async () => {
        let n = 0;
        for await (const e of store.readEntries(BENCH_TENANT, 0)) if (projectEntry(e.sequence, e.canonical)) n++;
        return n;
      });
      const tables = forensicsStoreOf(store);
      const projection = new ForensicsProjection();
      await tables.migrate({ tables: projection.tables });
      // The service's batch size (1000 entries per transaction), then the CLI rebuild's (5000).
      const runFrom0 = async (batchSize: number) => {
        await tables.reset(BENCH_TENANT);
        const r = await timed(() =>
          new ProjectionRunner({ store: tables, tenant: BENCH_TENANT, projections: [projection], batchSize }).catchUp(),
        );
        if (r.count !== log.entries) throw new Error(`caught up ${r.count} entries, expected ${log.entries}`);
        return r;
      };
      const rebuild = await runFrom0(5000);
      const catchUp = await runFrom0(1000);
      const label = `${log.entries / 1000}k`;
      const out: Measurement[] = [
        { id: 'projection.read.sqlite', name: `read ${label} entries in order (SQLite)`, value: read.rate, unit: 'entries/s' },
        { id: 'projection.read-parse.sqlite', name: `read + parse ${label} entries (SQLite)`, value: parse.rate, unit: 'entries/s' },
        {
          id: 'projection.catchup.sqlite',
          name: `projection catch-up, ${label} entries (SQLite)`,
          value: catchUp.rate,
          unit: 'entries/s',
          details: {
            entries: log.entries,
            changes: log.changes.length,
            batch: 1000,
            ofRawRead: catchUp.rate / read.rate,
            seconds: catchUp.seconds,
          },
        },
        {
          id: 'projection.catchup.sqlite.b5000',
          name: `projection rebuild, ${label} entries, 5000 per transaction (SQLite)`,
          value: rebuild.rate,
          unit: 'entries/s',
          details: { entries: log.entries, batch: 5000, ofRawRead: rebuild.rate / read.rate, seconds: rebuild.seconds },
        },
      ];
      for (const m of out) ctx.log(`  ${m.name}: ${Math.round(m.value)} ${m.unit}`);
      ctx.log(`  catch-up runs at ${((catchUp.rate / read.rate) * 100).toFixed(1)}% of the raw ordered read`);
      return out;
    } finally {
      await store.close();
    }
  },
};

async function timed(work: () => Promise<number>): Promise<{ count: number; rate: number; seconds: number }> {
  const started = now();
  const count = await work();
  const s = seconds(started);
  return { count, rate: count / s, seconds: s };
}
