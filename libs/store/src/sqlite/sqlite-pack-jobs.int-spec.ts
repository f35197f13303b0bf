import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnderTest } from '../testing/ledger-store.contract';
import { describePackJobStoreContract } from '../testing/pack-job-store.contract';
import { SqliteLedgerStore } from './sqlite-ledger-store';

// A fresh database file per test; pack jobs live in the same file as the log.
async function openFreshStore(): Promise<StoreUnderTest<SqliteLedgerStore>> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-pack-jobs-'));
  const file = join(dir, 'ledger.db');
  const opened: SqliteLedgerStore[] = [];
  const open = async () => {
    const store = await SqliteLedgerStore.open(file);
    opened.push(store);
    await store.migrate();
    return store;
  };
  return {
    store: await open(),
    reopen: open,
    cleanup: async () => {
      for (const s of opened) await s.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describePackJobStoreContract('SQLite', openFreshStore);
