import type { FieldViolation, Receipt } from '@evidence-ledger/core';
import { abortableDelay } from './abortable-delay';
import { LedgerApi, Problem } from './ledger-api';
import type { OutgoingEvent } from './ledger-event';
import { AttemptOutcome, RetryPolicy } from './retry-policy';

/** What became of one event of a batch. */
export type DeliveryOutcome =
  /** The ledger holds the event; `alreadyRecorded` when it had it before this request (a retry). */
  | { readonly kind: 'recorded'; readonly receipt: Receipt; readonly alreadyRecorded: boolean }
  /** Refused for good (4xx other than 429); `violations` are relative to the event. */
  | { readonly kind: 'rejected'; readonly problem: Problem; readonly violations: readonly FieldViolation[] }
  /** Not delivered: the retries ran out, or the delivery was stopped (`stopped`). */
  | {
      readonly kind: 'undelivered';
      readonly attempts: number;
      readonly lastStatus?: number;
      readonly cause: unknown;
      readonly stopped: boolean;
    };

/** One failed attempt, for observability (logs, metrics). */
export interface RetryNotice {
  readonly attempt: number;
  readonly events: number;
  readonly delayMs: number;
  /** The status answered, or undefined for a network error. */
  readonly status?: number;
  readonly error?: unknown;
}

// A problem path `[3].data.tokensIn` → event 3, path `data.tokensIn`.
const INDEXED_PATH = /^\[(\d+)\](?:\.(.*))?$/;

/**
 * Delivers one batch: posts it, retrying network errors, 429 and 5xx with the retry policy,
 * and never re-sending a request the ledger refused.
 *
 * A batch is all-or-nothing at the ledger, so one bad event refuses its neighbours too. When
 * the problem names the events at fault (`errors[].path` = `[i]…`), those are rejected and the
 * rest is posted again at once; when it does not (e.g. `409 ID_CONFLICT`), the batch is split
 * in halves until the culprit stands alone. Either way every event ends with its own outcome,
 * and no request the ledger refused is ever sent again as it was.
 */
export class BatchDelivery {
  constructor(
    private readonly api: LedgerApi,
    private readonly retry: RetryPolicy,
    private readonly signal: AbortSignal,
    private readonly onRetry?: (notice: RetryNotice) => void,
  ) {}

  /** One outcome per event, in order. Never rejects. */
  async deliver(events: readonly OutgoingEvent[]): Promise<DeliveryOutcome[]> {
    const outcomes: DeliveryOutcome[] = new Array(events.length);
    const work: number[][] = [events.map((_, i) => i)];
    while (work.length > 0) {
      const part = work.shift() as number[];
      const answer = await this.post(part.map((i) => events[i]));
      if (answer.kind === 'recorded') {
        part.forEach((i, k) => (outcomes[i] = { kind: 'recorded', receipt: answer.receipts[k], alreadyRecorded: answer.status === 200 }));
      } else if (answer.kind === 'undelivered') {
        for (const i of part) outcomes[i] = answer.outcome;
      } else {
        work.unshift(...this.blame(answer.problem, part, outcomes));
      }
    }
    return outcomes;
  }

  // Settles the events a refusal names and returns what must be posted again.
  private blame(problem: Problem, part: number[], outcomes: DeliveryOutcome[]): number[][] {
    const named = new Map<number, FieldViolation[]>();
    const indexed = problem.errors.length > 0 && problem.errors.every((e) => INDEXED_PATH.test(e.path));
    if (indexed) {
      for (const e of problem.errors) {
        const [, index, rest] = INDEXED_PATH.exec(e.path) as RegExpExecArray;
        const k = Number(index);
        if (k >= part.length) continue;
        named.set(k, [...(named.get(k) ?? []), { path: rest || '$', message: e.message }]);
      }
    }
    if (named.size > 0) {
      for (const [k, violations] of named) outcomes[part[k]] = { kind: 'rejected', problem, violations };
      const rest = part.filter((_, k) => !named.has(k));
      return rest.length > 0 ? [rest] : [];
    }
    if (part.length > 1 && isAboutSomeEvent(problem)) {
      const half = Math.ceil(part.length / 2);
      return [part.slice(0, half), part.slice(half)];
    }
    for (const i of part) outcomes[i] = { kind: 'rejected', problem, violations: problem.errors };
    return [];
  }

  private async post(
    events: readonly OutgoingEvent[],
  ): Promise<
    | { kind: 'recorded'; status: number; receipts: Receipt[] }
    | { kind: 'refused'; problem: Problem }
    | { kind: 'undelivered'; outcome: DeliveryOutcome }
  > {
    let last: AttemptOutcome | undefined;
    for (let attempt = 1; ; attempt++) {
      if (this.signal.aborted) return undelivered(attempt - 1, last, this.signal.reason, true);
      const outcome = await this.api.postEvents(events, this.signal);
      if (outcome.kind === 'ok') return { kind: 'recorded', status: outcome.status, receipts: outcome.body };
      if (outcome.kind === 'answered' && !RetryPolicy.isRetryable(outcome)) return { kind: 'refused', problem: outcome.problem };
      last = outcome;
      if (this.signal.aborted) return undelivered(attempt, last, this.signal.reason, true);
      if (!this.retry.shouldRetry(outcome, attempt)) return undelivered(attempt, last, causeOf(outcome), false);
      const delayMs = this.retry.delayMs(attempt, outcome.kind === 'answered' ? outcome.retryAfterMs : undefined);
      this.onRetry?.({
        attempt,
        events: events.length,
        delayMs,
        status: outcome.kind === 'answered' ? outcome.status : undefined,
        error: outcome.kind === 'network' ? outcome.error : undefined,
      });
      await abortableDelay(delayMs, this.signal);
    }
  }
}

// Problems that concern particular events of a batch (invalid content, a reused id, an event
// too large) — as opposed to the request as a whole (credentials, role, media type).
function isAboutSomeEvent(problem: Problem): boolean {
  return problem.status === 400 || problem.status === 409 || problem.status === 413;
}

function undelivered(attempts: number, last: AttemptOutcome | undefined, cause: unknown, stopped: boolean) {
  return {
    kind: 'undelivered' as const,
    outcome: {
      kind: 'undelivered' as const,
      attempts,
      lastStatus: last?.kind === 'answered' ? last.status : undefined,
      cause,
      stopped,
    },
  };
}

function causeOf(outcome: AttemptOutcome): unknown {
  return outcome.kind === 'network' ? outcome.error : (outcome as { problem?: Problem }).problem;
}
