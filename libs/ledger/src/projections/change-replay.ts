import { LedgerError } from '@evidence-ledger/core';
import { applyToChange, ChangeState, emptyChangeState } from './change-state';
import { ProjectedEntry } from './projected-entry';
import { describeStep, TimelineStep } from './timeline-step';

/**
 * A point in a log to replay a change to: right after entry `sequence`, or at an instant of
 * the ledger's clock (every entry recorded at or before `time`).
 */
export type AsOf = { readonly sequence: number } | { readonly time: string };

const INTEGER = /^\d{1,16}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

// Reads `asOf` as a user gives it: a sequence number, or an RFC 3339 time (normalized to
// the ledger's own UTC millisecond form, so it compares with `recordedAt` as text).
export function parseAsOf(text: string): AsOf {
  if (INTEGER.test(text) && Number.isSafeInteger(Number(text))) return { sequence: Number(text) };
  const ms = RFC3339.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    throw new LedgerError('INVALID_QUERY', 'asOf must be a sequence number or an RFC 3339 time (e.g. 2026-11-21T09:30:00Z)', {
      field: 'asOf',
    });
  }
  return { time: new Date(ms).toISOString() };
}

/** Whether an entry lies at or before the point: the one predicate every replay uses. */
export function isAtOrBefore(entry: { readonly sequence: number; readonly recordedAt: string }, asOf: AsOf | undefined): boolean {
  if (asOf === undefined) return true;
  return 'sequence' in asOf ? entry.sequence <= asOf.sequence : entry.recordedAt <= asOf.time;
}

export interface ChangeReplay {
  readonly state: ChangeState;
  /** The steps folded, each with the status the change had right after it. */
  readonly steps: TimelineStep[];
}

// Replays a change from its entries (in sequence order): exactly those at or before `asOf`
// are folded, by the same reducer the timeline projection runs.
export function replayChange(changeId: string, entries: Iterable<ProjectedEntry>, asOf?: AsOf): ChangeReplay {
  const state = emptyChangeState(changeId);
  const steps: TimelineStep[] = [];
  for (const e of entries) {
    if (!isAtOrBefore(e, asOf)) continue;
    applyToChange(state, e);
    steps.push(describeStep(e, state.status));
  }
  return { state, steps };
}
