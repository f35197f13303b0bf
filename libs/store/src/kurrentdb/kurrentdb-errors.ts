import { StoreError, StoreErrorCode } from '../store-error';

/** What the adapter was doing when the client failed, and the secret to keep out of messages. */
export interface KurrentDbErrorContext {
  readonly doing: string;
  readonly location: string;
  readonly password?: string;
}

// The client's errors all carry a `type` (its ErrorType enum, e.g. 'wrong-expected-version');
// their names are plain 'Error' and their messages often empty, so `type` is what is read.
// Matching on it rather than `instanceof` also holds across two copies of the client.
const DELETED = new Set(['stream-deleted', 'stream-tombstoned']);
const TOO_LARGE = new Set(['maximum-append-size-exceeded', 'append-record-size-exceeded', 'transaction-max-size-exceeded']);

const typeOf = (error: unknown): string | undefined => {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
};

/** Another writer appended first: the stream is not at the revision the append expected. */
export function isWrongExpectedVersion(error: unknown): boolean {
  return typeOf(error) === 'wrong-expected-version';
}

/** The stream has never been written: an empty log, not a failure. */
export function isStreamNotFound(error: unknown): boolean {
  return typeOf(error) === 'stream-not-found';
}

// The one place KurrentDB client errors become port errors:
// - an append refused for its expected revision (another instance appended) → STORE_CONFLICT;
// - server down, deadline, leader change, cancellation → STORE_UNAVAILABLE (retry later);
// - access denied → STORE_UNAVAILABLE, saying so: the user or the stream ACLs need fixing;
// - an append over the server's size limit → STORE_UNAVAILABLE, naming the setting to raise;
// - a deleted or tombstoned log stream → STORE_CORRUPT: a tamper-evident log never loses events;
// - anything else → STORE_UNAVAILABLE with the client's message.
// The client error stays as `cause`; no message carries the password.
export function translateKurrentDbError(error: unknown, context: KurrentDbErrorContext): StoreError {
  if (error instanceof StoreError) return error;
  const type = typeOf(error);
  const driverMessage = (error instanceof Error && error.message) || type || String(error);
  const at = `KurrentDB at ${context.location}: ${context.doing} failed`;
  let code: StoreErrorCode = 'STORE_UNAVAILABLE';
  let message = `${at}: ${driverMessage}`;
  if (type === 'wrong-expected-version') {
    code = 'STORE_CONFLICT';
    message = `${at}: another writer appended to the log first (${driverMessage})`;
  } else if (type === 'access-denied') {
    message = `${at}: access denied — check the user in the connection string and the ACLs of the ledger's streams`;
  } else if (type !== undefined && TOO_LARGE.has(type)) {
    const limit = (error as { maxAppendSize?: unknown; maxSize?: unknown }).maxAppendSize ?? (error as { maxSize?: unknown }).maxSize;
    message = `${at}: the batch is larger than the server accepts${typeof limit === 'number' ? ` (${limit} bytes)` : ''}; raise KurrentDB's MaxAppendSize (KURRENTDB_MAX_APPEND_SIZE)`;
  } else if (type !== undefined && DELETED.has(type)) {
    code = 'STORE_CORRUPT';
    message = `${at}: the log stream was deleted in KurrentDB (${driverMessage})`;
  }
  return new StoreError(code, scrub(message, context.password), { cause: error, details: type ? { kurrentdb: type } : {} });
}

function scrub(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('***').split(encodeURIComponent(secret)).join('***');
}
