import { SqliteLedgerStore } from '@evidence-ledger/store';
import { Benchmark } from './benchmark';
import { scratchDir } from './databases';
import { ingestModes, measureLedgerIngest } from './ledger-ingest';

// Target: ≥ 60k ev/s batched (docs/design.md), and the ratio to raw inserts of the same rows.
export const sqliteLedger: Benchmark = {
  name: 'sqlite-ledger',
  what: 'Ledger.append on SQLite (WAL, synchronous=FULL): 1, 100, 1000 ev/call; 32 concurrent writers',
  postgres: false,
  async run(ctx) {
    const dir = scratchDir('sqlite-ledger');
    const store = await SqliteLedgerStore.open(dir.file('ledger.db'));
    try {
      await store.migrate();
      return await measureLedgerIngest(ctx, store, 'SQLite', 'sqlite.ledger', ingestModes(ctx, [32]));
    } finally {
      await store.close();
      dir.remove();
    }
  },
};
