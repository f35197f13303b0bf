import { LedgerError } from '@evidence-ledger/core';

export type StoreErrorCode = 'STORE_UNAVAILABLE' | 'STORE_CONFLICT' | 'STORE_CORRUPT' | 'NOT_FOUND';

/** A driver failure translated at the adapter boundary; `cause` keeps the driver's error. */
export class StoreError extends LedgerError {
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, options?.details ?? {}, { cause: options?.cause });
    this.name = 'StoreError';
  }
}
