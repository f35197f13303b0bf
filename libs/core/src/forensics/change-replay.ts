import { LedgerError } from '../errors';
import { applyToChange, ChangeState, emptyChangeState } from './change-state';
import { ProjectedEntry } from './projected-entry';
import { describeStep, TimelineStep } from './timeline-step';

/**
 * The two clocks every entry carries: `recorded` is the ledger's `recordedAt` (when the entry
 * was committed — the clock the log proves, in log order); `occurred` is the producer's `time`
 * (when it says the thing happened — signed into the entry, but only as true as the producer's clock).
 */
export type Clock = 'recorded' | 'occurred';

export const CLOCKS: readonly Clock[] = ['recorded', 'occurred'];

/**
 * A point in a log to replay a change to: right after entry `sequence`, or an instant on one
 * of the two clocks. A time without a clock (bundles written before clocks were named) is on
 * the recorded clock.
 */
export type AsOf = { readonly sequence: number } | { readonly time: string; readonly clock?: Clock };

const INTEGER = /^\d{1,16}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const CLOCK_PREFIX = /^(recorded|occurred):(.*)$/s;

export const AS_OF_SYNTAX =
  "asOf must be a sequence number, or a time on a named clock: recorded:<RFC 3339> (recordedAt, the ledger's clock, proven by the log) or occurred:<RFC 3339> (time, the producer's clock); a bare RFC 3339 time is read on the recorded clock (e.g. 41, recorded:2026-11-21T09:30:00Z, occurred:2026-11-21T09:30:00Z)";

/** A parsed point, and whether its clock was named or taken by default (a bare time: recorded). */
export interface ParsedAsOf {
  readonly asOf: AsOf;
  readonly clockDefaulted: boolean;
}

// Reads `asOf` as a user gives it: a sequence number, or an RFC 3339 time prefixed by its
// clock (`recorded:` / `occurred:`); a bare time defaults to the recorded clock — the one the
// log proves — and says so through `clockDefaulted`. Times are normalized to the ledger's own
// UTC millisecond form, so a recorded point compares with `recordedAt` as text.
export function parseAsOfPoint(text: string): ParsedAsOf {
  if (INTEGER.test(text) && Number.isSafeInteger(Number(text))) return { asOf: { sequence: Number(text) }, clockDefaulted: false };
  const prefixed = CLOCK_PREFIX.exec(text);
  const clock = (prefixed?.[1] as Clock | undefined) ?? 'recorded';
  const time = prefixed ? prefixed[2] : text;
  const ms = RFC3339.test(time) ? Date.parse(time) : NaN;
  if (Number.isNaN(ms)) throw new LedgerError('INVALID_QUERY', AS_OF_SYNTAX, { field: 'asOf' });
  return { asOf: { time: new Date(ms).toISOString(), clock }, clockDefaulted: prefixed === null };
}

export function parseAsOf(text: string): AsOf {
  return parseAsOfPoint(text).asOf;
}

/** The clock a point is on (`undefined` for a sequence). */
export function clockOf(asOf: AsOf | undefined): Clock | undefined {
  return asOf === undefined || 'sequence' in asOf ? undefined : (asOf.clock ?? 'recorded');
}

/** A point as users write it: `41`, `recorded:2026-…Z` or `occurred:2026-…Z`. */
export function formatAsOf(asOf: AsOf): string {
  return 'sequence' in asOf ? String(asOf.sequence) : `${asOf.clock ?? 'recorded'}:${asOf.time}`;
}

// When an entry occurred, in epoch milliseconds: the producer's `time`, or — when it sent none
// (or one that does not parse) — its `recordedAt`, since nothing can have happened after the
// ledger recorded it.
export function occurredMs(entry: { readonly recordedAt: string; readonly time?: string }): number {
  const time = entry.time === undefined ? NaN : Date.parse(entry.time);
  return Number.isNaN(time) ? Date.parse(entry.recordedAt) : time;
}

/** An entry's `time` in the ledger's UTC millisecond form, for the `occurred_at` columns; null when the producer sent none. */
export function occurredAtColumn(entry: { readonly recordedAt: string; readonly time?: string }): string | null {
  return entry.time === undefined ? null : new Date(occurredMs(entry)).toISOString();
}

/** Whether an entry lies at or before the point: the one predicate every replay uses. */
export function isAtOrBefore(
  entry: { readonly sequence: number; readonly recordedAt: string; readonly time?: string },
  asOf: AsOf | undefined,
): boolean {
  if (asOf === undefined) return true;
  if ('sequence' in asOf) return entry.sequence <= asOf.sequence;
  if (clockOf(asOf) === 'occurred') return occurredMs(entry) <= Date.parse(asOf.time);
  return entry.recordedAt <= asOf.time;
}

export interface ChangeReplay {
  readonly state: ChangeState;
  /** The steps folded, each with the status the change had right after it. */
  readonly steps: TimelineStep[];
}

// Replays a change from its entries (in sequence order): exactly those at or before `asOf`
// are folded, in log order, by the same reducer the timeline projection runs. On the
// occurred clock that may leave out an entry recorded earlier than one it keeps (a producer
// that reported late, or whose clock runs ahead).
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
