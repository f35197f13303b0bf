import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnderTest } from '../../testing/ledger-store.contract';
import { SqliteLedgerStore } from '../sqlite-ledger-store';

/** A migrated store in a fresh database file of its own (read models and pack jobs live beside the log); cleanup removes it. */
export async function openFreshSqliteStore(): Promise<StoreUnderTest<SqliteLedgerStore>> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
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
