import { StoreError, StoreErrorCode } from '../store-error';

/** What the adapter was doing when pg failed, and the secret to keep out of the message. */
export interface PostgresErrorContext {
  readonly doing: string;
  readonly location: string;
  readonly password?: string;
}

// Socket-level failures reported by Node's net/dns modules.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
]);
// pg's own errors carry no code, only these messages.
const PG_CONNECTION_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|connection timeout|not queryable|after calling end on the pool|unexpected eof/i;

// SQLSTATEs by meaning (https://www.postgresql.org/docs/current/errcodes-appendix.html).
function codeForSqlState(state: string): StoreErrorCode | undefined {
  if (state === '23505' || state === '40001' || state === '40P01') return 'STORE_CONFLICT'; // unique_violation, serialization_failure, deadlock_detected
  if (state === 'XX001' || state === 'XX002') return 'STORE_CORRUPT'; // data_corrupted, index_corrupted
  const cls = state.slice(0, 2);
  // data exception (e.g. 22021: a NUL character in text), integrity constraint violation other
  // than unique (not null, foreign key, check), program limit exceeded (e.g. an index row too
  // large): the values are at fault, not the database.
  if (cls === '22' || cls === '23' || state === '54000') return 'STORE_REJECTED';
  // connection exception, invalid authorization, insufficient resources, operator intervention
  // (shutdown, statement_timeout), missing database, lock_timeout
  if (cls === '08' || cls === '28' || cls === '53' || cls === '57' || state === '3D000' || state === '55P03') return 'STORE_UNAVAILABLE';
  return undefined;
}

/** Whether the failure means the connection itself can no longer be trusted. */
export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || code.startsWith('08') || code.startsWith('57P'))) return true;
  return error instanceof Error && PG_CONNECTION_MESSAGES.test(error.message);
}

// The one place pg and socket errors become port errors. Connection trouble and timeouts are
// STORE_UNAVAILABLE (retry later), unique and serialization violations STORE_CONFLICT, values
// the database refuses STORE_REJECTED;
// anything else is wrapped as STORE_UNAVAILABLE with its SQLSTATE. The driver error stays as
// `cause`; the message never carries the password.
export function translatePostgresError(error: unknown, context: PostgresErrorContext): StoreError {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const sqlstate = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const storeCode = (sqlstate ? codeForSqlState(sqlstate) : undefined) ?? 'STORE_UNAVAILABLE';
  const driverMessage = (error instanceof Error && error.message) || (typeof code === 'string' ? code : String(error));
  const message = scrub(`PostgreSQL at ${context.location}: ${context.doing} failed: ${driverMessage}`, context.password);
  return new StoreError(storeCode, message, { cause: error, details: sqlstate ? { sqlstate } : {} });
}

function scrub(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('***').split(encodeURIComponent(secret)).join('***');
}
