import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnderTest, storeUnderTest } from '../../testing/ledger-store.contract';
import { SqliteLedgerStore } from '../sqlite-ledger-store';

/** A migrated store in a fresh database file of its own (forensics tables and pack jobs live beside the log); cleanup removes it. */
export function openFreshSqliteStore(): Promise<StoreUnderTest<SqliteLedgerStore>> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
  const file = join(dir, 'ledger.db');
  return storeUnderTest(
    async () => {
      const store = await SqliteLedgerStore.open(file);
      await store.migrate();
      return store;
    },
    () => rmSync(dir, { recursive: true, force: true }),
  );
}
