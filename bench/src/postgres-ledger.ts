import { PostgresLedgerStore } from '@evidence-ledger/store';
import { Benchmark } from './benchmark';
import { scratchSchema } from './databases';
import { ingestModes, measureLedgerIngest, warmLedgerStore } from './ledger-ingest';

// Targets: ≥ 40k ev/s batched, ≥ 0.6 × raw multi-row INSERT, ≥ 3 × Emmett (docs/design.md).
export const postgresLedger: Benchmark = {
  name: 'postgres-ledger',
  what: 'Ledger.append on PostgreSQL (default pool of 10): 1, 100, 1000 ev/call; 16 and 32 concurrent writers',
  postgres: true,
  async run(ctx) {
    const scratch = await scratchSchema('ledger');
    const store = await PostgresLedgerStore.open(scratch.storeUrl);
    try {
      await store.migrate();
      await warmLedgerStore(store, 5000);
      await scratch.analyze();
      return await measureLedgerIngest(ctx, store, 'PG', 'postgres.ledger', ingestModes(ctx, [16, 32]));
    } finally {
      await store.close();
      await scratch.drop();
    }
  },
};
