import { CredentialStore } from './credential-store';
import { LedgerStore } from './ledger-store';
import { PostgresLedgerStore } from './postgres';
import { SqliteLedgerStore } from './sqlite';
import { StoreError } from './store-error';

// Opens and migrates the store a location names: `sqlite:<path>` (or a bare path ending in
// .db / .sqlite) for the embedded store, `postgres://…` / `postgresql://…` for PostgreSQL.
// Every store also holds the service's credentials, in the same database.
export async function openStore(location: string): Promise<LedgerStore & CredentialStore> {
  let store: LedgerStore & CredentialStore;
  if (/^postgres(ql)?:\/\//.test(location)) {
    store = await PostgresLedgerStore.open(location);
  } else if (location.startsWith('sqlite:') || /\.(db|sqlite3?)$/.test(location)) {
    store = await SqliteLedgerStore.open(location.replace(/^sqlite:(\/\/)?/, ''));
  } else {
    throw new StoreError('STORE_UNAVAILABLE', `unknown store "${redact(location)}": use sqlite:<path> or postgres://…`);
  }
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  return store;
}

function redact(location: string): string {
  return location.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
