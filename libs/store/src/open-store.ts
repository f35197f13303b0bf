import { CredentialStore } from './credential-store';
import { LedgerStore } from './ledger-store';
import { isKurrentDbLocation, KurrentDbLedgerStore } from './kurrentdb';
import { PostgresLedgerStore } from './postgres';
import { SqliteLedgerStore } from './sqlite';
import { StoreError } from './store-error';

// Opens and migrates the store a location names: `sqlite:<path>` (or a bare path ending in
// .db / .sqlite) for the embedded store, `postgres://…` / `postgresql://…` for PostgreSQL,
// `kurrentdb://…` (or kurrent://, kdb://, esdb://) for KurrentDB. Every store also holds the
// service's credentials, in the same database — except KurrentDB, whose location names a
// SQLite or PostgreSQL store for them (`credentialStore=…`, docs/kurrentdb.md).
export async function openStore(location: string): Promise<LedgerStore & CredentialStore> {
  let store: LedgerStore & CredentialStore;
  // Before the SQLite rule: a KurrentDB location may end in `credentialStore=sqlite:….db`.
  if (isKurrentDbLocation(location)) {
    store = await KurrentDbLedgerStore.open(location, { openCredentialStore: openStore });
  } else if (/^postgres(ql)?:\/\//.test(location)) {
    store = await PostgresLedgerStore.open(location);
  } else if (location.startsWith('sqlite:') || /\.(db|sqlite3?)$/.test(location)) {
    store = await SqliteLedgerStore.open(location.replace(/^sqlite:(\/\/)?/, ''));
  } else {
    throw new StoreError('STORE_UNAVAILABLE', `unknown store "${redact(location)}": use sqlite:<path>, postgres://… or kurrentdb://…`);
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
