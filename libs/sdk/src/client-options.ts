import { Actor, envelopeViolations, NoteVerifier, parseVerifierKey } from '@evidence-ledger/core';
import { assertBatcherOptions, BatcherOptions } from './batcher';
import type { RetryNotice } from './batch-delivery';
import { InvalidOptionsError, LedgerClientError, LedgerIntegrityError } from './errors';
import { RetryOptions } from './retry-policy';

export interface LedgerClientOptions {
  /** Base URL of the ledger, e.g. `https://ledger.acme.internal`. */
  readonly url: string;
  /** A producer API key (`Authorization: Bearer`). Its id becomes each entry's `producer`. */
  readonly apiKey: string;
  /** CloudEvents `source` of every event unless one overrides it, e.g. `urn:acme:agent-gateway`. */
  readonly source: string;
  /** Default `actor` of every event. */
  readonly actor?: Actor;

  // --- receipt verification: pin keys, opt in to trust on first use, or turn it off ---
  /** The ledger's checkpoint verifier keys (C2SP vkeys, from `GET /v1/public-keys` or `<key file>.vkey`), handed over out of band. */
  readonly verifierKeys?: readonly string[];
  /** Fetch the keys from the ledger itself on first use and pin them from then on (kept in the spool directory). */
  readonly trustOnFirstUse?: boolean;
  /** `false` turns receipt verification off. Default true: then keys must be pinned or trusted on first use. */
  readonly verifyReceipts?: boolean;
  /** The log's checkpoint origin (`<prefix>/<tenant>`); pinned from the first verified checkpoint when absent. */
  readonly origin?: string;

  // --- batching ---
  /** Events per request, 1–1000. Default 500. */
  readonly maxBatchSize?: number;
  /** JSON bytes per request, up to just under 5 MiB. Default 4 MiB. */
  readonly maxBatchBytes?: number;
  /** A batch leaves at the latest this long after its first event, ms. Default 20. */
  readonly flushIntervalMs?: number;
  /** Requests in flight at once. Default 4. */
  readonly maxConcurrentBatches?: number;
  /** Events waiting for delivery before `record…` refuses more (QUEUE_FULL). Default 100 000. */
  readonly maxPendingEvents?: number;

  // --- delivery ---
  readonly retry?: RetryOptions;
  /** A request with no complete answer after this long counts as a network error, ms. Default 10 000. */
  readonly requestTimeoutMs?: number;
  /** How long `close()` keeps trying to deliver before it gives up, ms. Default 30 000. */
  readonly shutdownTimeoutMs?: number;

  // --- durability ---
  /** A directory for the durable spool and the trust state. Without it, undelivered events live in memory only. */
  readonly spoolDir?: string;

  // --- hooks ---
  /** Every integrity failure, once each: a bad checkpoint, receipt or proof, or a forked log. Default: a process warning. */
  readonly onIntegrityFailure?: (error: LedgerIntegrityError) => void;
  /** Every event that ends without a verified receipt, with its error. */
  readonly onEventFailed?: (error: LedgerClientError, eventId: string) => void;
  /** Every failed attempt that will be retried. */
  readonly onRetry?: (notice: RetryNotice) => void;
  /** The clock for event times and UUIDv7 ids. */
  readonly clock?: () => Date;
}

export type ReceiptTrust =
  { readonly kind: 'pinned'; readonly keys: readonly NoteVerifier[] } | { readonly kind: 'first-use' } | { readonly kind: 'off' };

/** The options with every default filled in and every value checked. */
export interface ResolvedOptions extends BatcherOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly source: string;
  readonly actor?: Actor;
  readonly trust: ReceiptTrust;
  readonly origin?: string;
  readonly maxPendingEvents: number;
  readonly retry: RetryOptions;
  readonly requestTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  readonly spoolDir?: string;
  readonly clock: () => Date;
  readonly onIntegrityFailure?: (error: LedgerIntegrityError) => void;
  readonly onEventFailed?: (error: LedgerClientError, eventId: string) => void;
  readonly onRetry?: (notice: RetryNotice) => void;
}

export const DEFAULTS = {
  maxBatchSize: 500,
  maxBatchBytes: 4 * 1024 * 1024,
  flushIntervalMs: 20,
  maxConcurrentBatches: 4,
  maxPendingEvents: 100_000,
  requestTimeoutMs: 10_000,
  shutdownTimeoutMs: 30_000,
} as const;

export function resolveOptions(o: LedgerClientOptions): ResolvedOptions {
  if (typeof o !== 'object' || o === null) throw new InvalidOptionsError('options', 'must be an object');
  let url: URL;
  try {
    url = new URL(o.url);
  } catch {
    throw new InvalidOptionsError('url', `${JSON.stringify(o.url)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidOptionsError('url', 'must be an http: or https: URL');
  if (typeof o.apiKey !== 'string' || !/^\S{1,512}$/.test(o.apiKey)) throw new InvalidOptionsError('apiKey', 'must be the API key text');
  const envelope = envelopeViolations({
    specversion: '1.0',
    id: '00000000-0000-7000-8000-000000000000',
    source: o.source,
    type: 'x.options.check',
    actor: o.actor,
  });
  if (envelope.length > 0) throw new InvalidOptionsError(envelope[0].path, envelope[0].message);
  if (o.origin !== undefined && (typeof o.origin !== 'string' || !o.origin.includes('/'))) {
    throw new InvalidOptionsError('origin', 'must be a checkpoint origin, `<prefix>/<tenant>`');
  }
  if (o.spoolDir !== undefined && (typeof o.spoolDir !== 'string' || o.spoolDir === ''))
    throw new InvalidOptionsError('spoolDir', 'must be a directory path');
  const batching: BatcherOptions = {
    maxBatchSize: o.maxBatchSize ?? DEFAULTS.maxBatchSize,
    maxBatchBytes: o.maxBatchBytes ?? DEFAULTS.maxBatchBytes,
    flushIntervalMs: o.flushIntervalMs ?? DEFAULTS.flushIntervalMs,
    maxConcurrentBatches: o.maxConcurrentBatches ?? DEFAULTS.maxConcurrentBatches,
  };
  assertBatcherOptions(batching);
  const ms = (field: 'requestTimeoutMs' | 'shutdownTimeoutMs' | 'maxPendingEvents') => {
    const v = o[field] ?? DEFAULTS[field];
    if (!Number.isInteger(v) || v < 1) throw new InvalidOptionsError(field, 'must be a whole number ≥ 1');
    return v;
  };
  for (const hook of ['onIntegrityFailure', 'onEventFailed', 'onRetry', 'clock'] as const) {
    if (o[hook] !== undefined && typeof o[hook] !== 'function') throw new InvalidOptionsError(hook, 'must be a function');
  }
  return {
    ...batching,
    url: url.toString(),
    apiKey: o.apiKey,
    source: o.source,
    actor: o.actor,
    trust: receiptTrust(o),
    origin: o.origin,
    maxPendingEvents: ms('maxPendingEvents'),
    retry: o.retry ?? {},
    requestTimeoutMs: ms('requestTimeoutMs'),
    shutdownTimeoutMs: ms('shutdownTimeoutMs'),
    spoolDir: o.spoolDir,
    clock: o.clock ?? (() => new Date()),
    onIntegrityFailure: o.onIntegrityFailure,
    onEventFailed: o.onEventFailed,
    onRetry: o.onRetry,
  };
}

// Trust is an explicit choice: keys pinned out of band, keys taken from the ledger itself on
// first use, or no verification at all — never keys fetched from the server by default.
function receiptTrust(o: LedgerClientOptions): ReceiptTrust {
  const pinned = o.verifierKeys !== undefined && o.verifierKeys.length > 0;
  if (o.verifyReceipts === false) {
    if (pinned || o.trustOnFirstUse)
      throw new InvalidOptionsError('verifyReceipts', 'is false, yet keys are pinned or trusted on first use');
    return { kind: 'off' };
  }
  if (pinned && o.trustOnFirstUse) throw new InvalidOptionsError('trustOnFirstUse', 'cannot be combined with pinned verifierKeys');
  if (o.trustOnFirstUse) return { kind: 'first-use' };
  if (!pinned) {
    throw new InvalidOptionsError(
      'verifierKeys',
      "pin the ledger's verifier keys, opt in to trustOnFirstUse, or turn receipt verification off with verifyReceipts: false",
    );
  }
  return {
    kind: 'pinned',
    keys: (o.verifierKeys as readonly string[]).map((vkey, i) => {
      try {
        return parseVerifierKey(vkey);
      } catch (e) {
        throw new InvalidOptionsError(`verifierKeys[${i}]`, (e as Error).message);
      }
    }),
  };
}
