import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import { isKurrentDbLocation, LedgerStore, openStore } from '@evidence-ledger/store';
import { CliError } from './cli-error';

/** `--store`, falling back to $LEDGER_STORE; commander reports it when both are missing. */
export function storeOption(): Option {
  return new Option('--store <location>', 'the ledger database: sqlite:<path>, postgres://user@host/db[?schema=x] or kurrentdb://…')
    .env('LEDGER_STORE')
    .makeOptionMandatory();
}

// Opens a store that must already hold a ledger. Unlike openStore alone, a SQLite path that
// does not exist is refused instead of being created empty: a typo must not "verify".
export async function openExistingStore(location: string): Promise<LedgerStore> {
  const sqlitePath = sqliteFile(location);
  if (sqlitePath !== undefined && !existsSync(sqlitePath)) {
    throw new CliError('INPUT_UNAVAILABLE', `no SQLite ledger at ${sqlitePath}`);
  }
  try {
    return await openStore(location);
  } catch (e) {
    // parsePostgresUrl reports a malformed URL or schema name as a RangeError.
    if (e instanceof RangeError) throw new CliError('USAGE', `--store: ${e.message}`);
    throw e;
  }
}

// Mirrors openStore's rule for SQLite locations: `sqlite:<path>` or a path ending .db/.sqlite.
function sqliteFile(location: string): string | undefined {
  if (/^postgres(ql)?:\/\//.test(location) || isKurrentDbLocation(location)) return undefined;
  if (location.startsWith('sqlite:')) return resolve(location.replace(/^sqlite:(\/\/)?/, ''));
  return /\.(db|sqlite3?)$/.test(location) ? resolve(location) : undefined;
}

// A tenant with no entries is almost always a typo; say which tenants the store does hold.
// A tenant that exists but has recorded nothing has an empty log: the ledger signs its first
// checkpoint with its first entry, so there is nothing signed to export or verify yet.
export async function unknownTenant(store: LedgerStore, tenant: string): Promise<CliError> {
  const known = await store.tenants();
  if (known.includes(tenant)) {
    return new CliError(
      'LOG_EMPTY',
      `tenant "${tenant}" has an empty log in ${store.location}: no entry is recorded yet, and no checkpoint is signed before the first one`,
    );
  }
  const hint = known.length === 0 ? 'the store holds no logs' : `tenants in this store: ${known.join(', ')}`;
  return new CliError('TENANT_UNKNOWN', `tenant "${tenant}" has no log in ${store.location} (${hint})`);
}
