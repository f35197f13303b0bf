import { LedgerError } from '@evidence-ledger/core';

/**
 * `STORE_REJECTED`: the database refused a value it was given (a data error such as a NUL
 * character PostgreSQL text cannot hold, or a CHECK or trigger) — the fault of the data, not of
 * the database, so an appender can retry the other members of a group commit without it.
 */
export type StoreErrorCode = 'STORE_UNAVAILABLE' | 'STORE_CONFLICT' | 'STORE_CORRUPT' | 'STORE_REJECTED' | 'NOT_FOUND';

/** A driver failure translated at the adapter boundary; `cause` keeps the driver's error. */
export class StoreError extends LedgerError {
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options?.details ?? {}, { cause: options?.cause });
    this.name = 'StoreError';
  }
}
