import { LedgerError } from '@evidence-ledger/core';

/** How the recent appends of this instance went, as /health and /metrics report them. */
export interface AppendHealthReport {
  /** False while most recent commits failed: the service answers but cannot record. */
  readonly healthy: boolean;
  /** Commits (successful or failed) within the window. */
  readonly recentCommits: number;
  readonly recentFailures: number;
  /** The newest failure: when, and its error code (never the driver's text). */
  readonly lastFailure?: { readonly at: string; readonly code: string };
}

interface Outcome {
  readonly at: number;
  readonly failed: boolean;
}

/**
 * The outcomes of this instance's last commits (group commits, each one transaction): a store
 * that answers a query but cannot write (disk full, read-only, a lost table) shows here and
 * nowhere else. Unhealthy while more than half of the last `size` commits within `windowMs`
 * failed; a commit that succeeds, or time passing without appends, brings it back.
 */
export class AppendHealth {
  private readonly outcomes: Outcome[] = [];
  private lastFailure?: { at: string; code: string };

  constructor(
    private readonly size = 20,
    private readonly windowMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  committed(): void {
    this.record(false);
  }

  failed(error: unknown): void {
    this.record(true);
    this.lastFailure = { at: new Date(this.clock()).toISOString(), code: failureCode(error) };
  }

  report(): AppendHealthReport {
    const since = this.clock() - this.windowMs;
    const recent = this.outcomes.filter((o) => o.at >= since);
    const failures = recent.filter((o) => o.failed).length;
    return {
      healthy: failures * 2 <= recent.length,
      recentCommits: recent.length,
      recentFailures: failures,
      ...(this.lastFailure && { lastFailure: this.lastFailure }),
    };
  }

  private record(failed: boolean): void {
    this.outcomes.push({ at: this.clock(), failed });
    if (this.outcomes.length > this.size) this.outcomes.shift();
  }
}

/** The stable code of a commit failure, for reports that must not quote the driver. */
export function failureCode(error: unknown): string {
  return error instanceof LedgerError ? error.code : 'INTERNAL';
}
