import { InvalidOptionsError } from './errors';

/** How a delivery is retried. Only network errors, 429 and 5xx are retried — never another 4xx. */
export interface RetryOptions {
  /** Attempts per batch, the first included. Default: 10 without a spool, unlimited (`Infinity`) with one. */
  readonly maxAttempts?: number;
  /** Base delay before the first retry, in ms. Default 100. */
  readonly initialDelayMs?: number;
  /** Cap on any one delay, in ms (a `Retry-After` beyond it is capped too). Default 30 000. */
  readonly maxDelayMs?: number;
  /** Growth of the base delay per attempt. Default 2. */
  readonly multiplier?: number;
}

/** How one attempt ended, as far as retrying is concerned. */
export type AttemptOutcome =
  /** The ledger answered with this status (and, for 429/503, perhaps a `Retry-After`). */
  | { readonly kind: 'answered'; readonly status: number; readonly retryAfterMs?: number }
  /** No usable answer: connection refused or reset, timeout, or a 2xx body that is not receipts. */
  | { readonly kind: 'network'; readonly error: unknown };

export const DEFAULT_RETRY = { maxAttempts: 10, initialDelayMs: 100, maxDelayMs: 30_000, multiplier: 2 } as const;

/**
 * Exponential backoff with jitter. The base delay of retry n is `initialDelayMs · multiplier^(n-1)`
 * capped at `maxDelayMs`; the delay is drawn uniformly from [base/2, base] ("equal jitter"), so
 * the wait still grows while producers that failed together spread out. A `Retry-After` from
 * the ledger is a floor.
 */
export class RetryPolicy {
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;

  constructor(
    options: RetryOptions = {},
    defaultMaxAttempts: number = DEFAULT_RETRY.maxAttempts,
    private readonly random: () => number = Math.random,
  ) {
    this.maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
    this.initialDelayMs = options.initialDelayMs ?? DEFAULT_RETRY.initialDelayMs;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
    this.multiplier = options.multiplier ?? DEFAULT_RETRY.multiplier;
    if (!(this.maxAttempts === Infinity || (Number.isInteger(this.maxAttempts) && this.maxAttempts >= 1))) {
      throw new InvalidOptionsError('retry.maxAttempts', 'must be a whole number ≥ 1, or Infinity');
    }
    if (!(Number.isFinite(this.initialDelayMs) && this.initialDelayMs >= 0)) {
      throw new InvalidOptionsError('retry.initialDelayMs', 'must be a finite number ≥ 0');
    }
    if (!(Number.isFinite(this.maxDelayMs) && this.maxDelayMs >= this.initialDelayMs)) {
      throw new InvalidOptionsError('retry.maxDelayMs', 'must be a finite number ≥ retry.initialDelayMs');
    }
    if (!(Number.isFinite(this.multiplier) && this.multiplier >= 1)) {
      throw new InvalidOptionsError('retry.multiplier', 'must be a finite number ≥ 1');
    }
  }

  // Network errors, 429 (rate limited) and 5xx (the ledger or its store is unavailable) are
  // transient; any other 4xx means this request will never succeed as it is.
  static isRetryable(outcome: AttemptOutcome): boolean {
    return outcome.kind === 'network' || outcome.status === 429 || outcome.status >= 500;
  }

  // Whether to try again after `attempts` attempts, the last of which ended in `outcome`.
  shouldRetry(outcome: AttemptOutcome, attempts: number): boolean {
    return RetryPolicy.isRetryable(outcome) && attempts < this.maxAttempts;
  }

  // The wait before the next attempt, after `attempts` failed ones.
  delayMs(attempts: number, retryAfterMs?: number): number {
    const base = Math.min(this.maxDelayMs, this.initialDelayMs * this.multiplier ** Math.max(0, attempts - 1));
    const jittered = base / 2 + (this.random() * base) / 2;
    return Math.min(this.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
  }
}
