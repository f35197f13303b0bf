import type { FieldViolation, Receipt } from '@evidence-ledger/core';

/**
 * Every failure the SDK reports carries a stable `code`, so a producer can branch on it
 * without parsing messages. Codes name what went wrong for the producer, never a transport
 * status (the status, when there is one, is a separate field).
 */
export type LedgerClientErrorCode =
  /** The client options are invalid; thrown by the constructor. */
  | 'INVALID_OPTIONS'
  /** The ledger (or the client's own envelope check) refused the event for good. */
  | 'EVENT_REJECTED'
  /** The event could not be delivered: network errors, 429 or 5xx until the retries ran out. */
  | 'DELIVERY_FAILED'
  /** The client was closed before the event was delivered. */
  | 'CLIENT_CLOSED'
  /** Too many events are waiting for delivery; the producer must slow down. */
  | 'QUEUE_FULL'
  /** Another live process holds the spool directory. */
  | 'SPOOL_LOCKED'
  /** The spool could not be read or written. */
  | 'SPOOL_FAILED'
  /** The event was recorded, but the proof needed to check its receipt could not be fetched. */
  | 'VERIFICATION_UNAVAILABLE'
  | IntegrityFailureCode;

/**
 * What a receipt or checkpoint failed. Each one means the ledger (or something between the
 * producer and the ledger) presented evidence that does not hold: never a transport problem.
 */
export type IntegrityFailureCode =
  /** The checkpoint note or its body is not well-formed. */
  | 'CHECKPOINT_MALFORMED'
  /** A signature by a pinned key does not verify: the checkpoint was altered or forged. */
  | 'CHECKPOINT_SIGNATURE_INVALID'
  /** No pinned key signed the checkpoint. */
  | 'CHECKPOINT_UNTRUSTED'
  /** The checkpoint is for another log than the one the client pinned. */
  | 'ORIGIN_MISMATCH'
  /** The receipt does not answer the event sent, or its fields disagree with each other. */
  | 'RECEIPT_MALFORMED'
  /** The receipt's leaf hash is not the hash of the entry the event became. */
  | 'LEAF_MISMATCH'
  /** The inclusion proof does not lead from the leaf to the checkpoint's root hash. */
  | 'INCLUSION_PROOF_INVALID'
  /** The new checkpoint does not extend one the client verified before: a fork or a rewrite. */
  | 'CONSISTENCY_PROOF_INVALID'
  /** The ledger refuses to prove consistency with a tree size it signed before: a rollback. */
  | 'CONSISTENCY_PROOF_REFUSED'
  /** The trust state kept in the spool directory does not verify under the pinned keys. */
  | 'TRUST_STATE_INVALID';

export class LedgerClientError extends Error {
  constructor(
    readonly code: LedgerClientErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LedgerClientError';
  }
}

/** The options given to `new LedgerClient()` cannot work; `field` names the first culprit. */
export class InvalidOptionsError extends LedgerClientError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('INVALID_OPTIONS', `invalid option ${field}: ${message}`);
    this.name = 'InvalidOptionsError';
  }
}

/**
 * The event was refused and will never be accepted as it is: a 4xx answer other than 429, or
 * the client's own envelope check before sending. Never retried.
 */
export class EventRejectedError extends LedgerClientError {
  constructor(
    /** The event's id. */
    readonly eventId: string,
    /** The ledger's problem code (`INVALID_ENVELOPE`, `ID_CONFLICT`, `UNAUTHENTICATED` …). */
    readonly problemCode: string,
    /** The problem's `detail`: what the ledger said. */
    readonly detail: string,
    /** The offending fields, paths relative to the event (`data.tokensIn`, `id`). */
    readonly violations: readonly FieldViolation[] = [],
    /** The HTTP status; absent when the client refused the event before sending it. */
    readonly status?: number,
  ) {
    super('EVENT_REJECTED', rejectionMessage(eventId, problemCode, detail, violations, status));
    this.name = 'EventRejectedError';
  }
}

function rejectionMessage(id: string, code: string, detail: string, violations: readonly FieldViolation[], status?: number): string {
  const by = status === undefined ? 'the client' : `the ledger (${status} ${code})`;
  const fields = violations.map((v) => `${v.path} ${v.message}`).join('; ');
  return `event ${id} was rejected by ${by}: ${detail}${fields ? ` — ${fields}` : ''}`;
}

/** Delivery gave up: every attempt met a network error, 429 or 5xx. */
export class DeliveryError extends LedgerClientError {
  constructor(
    readonly eventId: string,
    readonly attempts: number,
    /** The last HTTP status seen, if any answer came back. */
    readonly lastStatus: number | undefined,
    /** True when the event is still in the spool and will be sent again by the next client on it. */
    readonly spooled: boolean,
    cause?: unknown,
  ) {
    super(
      'DELIVERY_FAILED',
      `event ${eventId} was not delivered after ${attempts} attempt${attempts === 1 ? '' : 's'}` +
        `${lastStatus === undefined ? '' : ` (last answer: ${lastStatus})`}${spooled ? '; it stays in the spool' : ''}`,
      { cause },
    );
    this.name = 'DeliveryError';
  }
}

/** The client was closed while the event was still waiting for delivery. */
export class ClientClosedError extends LedgerClientError {
  constructor(
    message: string,
    /** True when the event is still in the spool and will be sent again by the next client on it. */
    readonly spooled = false,
  ) {
    super('CLIENT_CLOSED', message);
    this.name = 'ClientClosedError';
  }
}

/** More events wait for delivery than `maxPendingEvents` allows. */
export class QueueFullError extends LedgerClientError {
  constructor(readonly limit: number) {
    super('QUEUE_FULL', `${limit} events are already waiting for delivery; wait for receipts (or flush()) before recording more`);
    this.name = 'QueueFullError';
  }
}

/** The spool directory cannot be used: locked by another process, or an I/O error. */
export class SpoolError extends LedgerClientError {
  constructor(code: 'SPOOL_LOCKED' | 'SPOOL_FAILED', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'SpoolError';
  }
}

/**
 * The ledger or something on the way presented evidence that does not hold: a bad checkpoint
 * signature, a receipt that is not for the event sent, a proof that fails, or a log that no
 * longer extends what this producer saw before. The event may well be recorded — but the log
 * it is recorded in cannot be trusted. Never retried, never silently accepted.
 */
export class LedgerIntegrityError extends LedgerClientError {
  declare readonly code: IntegrityFailureCode;

  constructor(
    code: IntegrityFailureCode,
    message: string,
    /** The receipt at fault, when one was being checked. */
    readonly receipt?: Receipt,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'LedgerIntegrityError';
  }
}

/**
 * The event is recorded (the ledger returned its receipt) but the client could not fetch the
 * consistency proof needed to check the receipt's checkpoint against the ones it saw before.
 * A transport problem, not evidence of tampering.
 */
export class VerificationUnavailableError extends LedgerClientError {
  constructor(
    message: string,
    /** The receipt left unchecked; absent when the failure concerns a whole checkpoint. */
    readonly receipt?: Receipt,
    cause?: unknown,
  ) {
    super('VERIFICATION_UNAVAILABLE', message, { cause });
    this.name = 'VerificationUnavailableError';
  }
}
