import { LedgerClientError, LedgerIntegrityError } from './errors';
import { PendingReceipt } from './pending-receipt';

export interface FailureHooks {
  readonly onIntegrityFailure?: (error: LedgerIntegrityError) => void;
  readonly onEventFailed?: (error: LedgerClientError, eventId: string) => void;
}

/** A failed event no hook heard of. */
export interface Unheard {
  readonly error: Error;
  readonly pending: PendingReceipt;
}

/**
 * Makes sure no failure goes unnoticed. Integrity failures go to `onIntegrityFailure` once
 * each — a batch sharing one bad checkpoint is one failure — or to a process warning when no
 * hook listens; every failed event goes to `onEventFailed`. A failure no hook heard of and no
 * caller awaits becomes one process warning per batch, instead of an unhandled rejection.
 */
export class FailureReporter {
  private readonly reported = new WeakSet<Error>();

  constructor(private readonly hooks: FailureHooks) {}

  // True when a hook heard of the failure.
  report(error: Error, eventId: string): boolean {
    let heard = false;
    if (error instanceof LedgerIntegrityError) {
      if (!this.reported.has(error)) {
        this.reported.add(error);
        if (this.hooks.onIntegrityFailure) this.call(() => this.hooks.onIntegrityFailure?.(error));
        else process.emitWarning(error.message, { type: 'LedgerIntegrityWarning', code: error.code });
      }
      heard = true;
    }
    if (this.hooks.onEventFailed && error instanceof LedgerClientError) {
      this.call(() => this.hooks.onEventFailed?.(error, eventId));
      heard = true;
    }
    return heard;
  }

  // Checked a turn later, so a caller who awaits the receipt right after flush() counts.
  warnUnheard(candidates: readonly Unheard[]): void {
    if (candidates.length === 0) return;
    setImmediate(() => {
      const unheard = candidates.filter((c) => !c.pending.observed);
      if (unheard.length === 0) return;
      const more = unheard.length > 1 ? ` (and ${unheard.length - 1} more events)` : '';
      process.emitWarning(`evidence-ledger: ${unheard[0].error.message}${more}`, { type: 'LedgerDeliveryWarning' });
    });
  }

  // A hook that throws must not keep the other events of its batch from being settled.
  private call(hook: () => void): void {
    try {
      hook();
    } catch (e) {
      process.emitWarning(`evidence-ledger: a failure hook threw: ${(e as Error)?.message ?? String(e)}`, { type: 'LedgerHookWarning' });
    }
  }
}
