import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeCredentialStoreContract } from '../testing/credential-store.contract';
import { describeEntryQueryContract } from '../testing/entry-query.contract';
import { describeLedgerStoreContract, StoreUnderTest } from '../testing/ledger-store.contract';
import { SqliteLedgerStore } from './sqlite-ledger-store';

// A fresh database file per test.
async function openFreshStore(): Promise<StoreUnderTest<SqliteLedgerStore>> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
  const file = join(dir, 'ledger.db');
  const store = await SqliteLedgerStore.open(file);
  await store.migrate();
  const opened = [store];
  return {
    store,
    reopen: async () => {
      const other = await SqliteLedgerStore.open(file);
      await other.migrate();
      opened.push(other);
      return other;
    },
    cleanup: async () => {
      for (const s of opened) await s.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeLedgerStoreContract('SQLite', openFreshStore);
describeEntryQueryContract('SQLite', openFreshStore);
describeCredentialStoreContract('SQLite', openFreshStore);

describe('SQLite store', () => {
  it('reports a file it cannot open as unavailable', async () => {
    await expect(SqliteLedgerStore.open('/etc/hostname/not-a-directory/ledger.db')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  it('reports a file that is not a database as corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
    const file = join(dir, 'not-a-db');
    require('node:fs').writeFileSync(file, 'this is not sqlite'.repeat(100));
    try {
      const store = await SqliteLedgerStore.open(file).then(async (s) => {
        await s.migrate();
        return s;
      });
      await store.close();
      throw new Error('opened a file that is not a database');
    } catch (e) {
      expect(e).toMatchObject({ code: 'STORE_CORRUPT' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
