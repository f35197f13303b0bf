import type { NoteErrorCode } from './note-error';

/**
 * Every failure the ledger reports carries a stable `code` so callers (HTTP edge, CLI, SDK)
 * can map it without parsing messages. Codes name what went wrong in the domain, never a
 * transport status.
 */
export type LedgerErrorCode =
  // input
  | 'INVALID_JSON'
  | 'INVALID_ENVELOPE'
  | 'EVENT_TOO_LARGE'
  | 'BATCH_TOO_LARGE'
  | 'EMPTY_BATCH'
  | 'DUPLICATE_ID_IN_BATCH'
  | 'ID_CONFLICT'
  | 'INVALID_QUERY'
  // proofs and trees
  | 'INVALID_PROOF_REQUEST'
  | 'PROOF_INVALID'
  // store
  | 'STORE_UNAVAILABLE'
  | 'STORE_CONFLICT'
  | 'STORE_CORRUPT'
  /** The database refused a value of the request (a data error); other requests are unaffected. */
  | 'STORE_REJECTED'
  | 'NOT_FOUND'
  // chain and service
  | 'CHAIN_BROKEN'
  | 'LEDGER_CLOSED'
  // signed notes and checkpoints
  | NoteErrorCode;

export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LedgerError';
  }
}

/** One offending field of a rejected event: where it is and what is wrong with it. */
export interface FieldViolation {
  /** JSON path inside the request, e.g. `[3].data.tokensIn` or `id`. */
  readonly path: string;
  readonly message: string;
}

/** The whole batch is rejected; `violations` lists every field at fault. */
export class InvalidEventError extends LedgerError {
  constructor(
    message: string,
    readonly violations: readonly FieldViolation[],
    code: LedgerErrorCode = 'INVALID_ENVELOPE',
  ) {
    super(code, message, { violations });
    this.name = 'InvalidEventError';
  }
}
