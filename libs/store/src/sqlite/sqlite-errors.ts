import { StoreError } from '../store-error';

const REJECTED_VALUE_CODES = new Set([
  'SQLITE_CONSTRAINT_CHECK',
  'SQLITE_CONSTRAINT_NOTNULL',
  'SQLITE_CONSTRAINT_TRIGGER',
  'SQLITE_CONSTRAINT_DATATYPE',
  'SQLITE_MISMATCH',
  'SQLITE_TOOBIG',
]);

// Maps better-sqlite3's SqliteError codes (https://www.sqlite.org/rescode.html) onto the
// port's errors, keeping the driver error as `cause`.
export function translateSqliteError(error: unknown, doing: string): unknown {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  const message = `${doing}: ${(error as Error).message}`;
  // A CHECK, NOT NULL or trigger refusing a value, or a value over SQLite's length limit: the data
  // is at fault (uniqueness stays a conflict).
  if (REJECTED_VALUE_CODES.has(code)) return new StoreError('STORE_REJECTED', message, { cause: error });
  if (code.startsWith('SQLITE_CONSTRAINT')) return new StoreError('STORE_CONFLICT', message, { cause: error });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('STORE_UNAVAILABLE', `${message} (another writer holds the database)`, { cause: error });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'))
    return new StoreError('STORE_CORRUPT', message, { cause: error });
  if (
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_FULL') ||
    code.startsWith('SQLITE_READONLY')
  ) {
    return new StoreError('STORE_UNAVAILABLE', message, { cause: error });
  }
  return error;
}
