import { LedgerError } from '@evidence-ledger/core';
import { StoredEntry } from './ledger-store';
import { timestampMicros, timestampText } from './postgres/postgres-timestamp';

/** The largest page `queryEntries` serves. */
export const MAX_ENTRY_QUERY_LIMIT = 1000;

/**
 * Which entries of one tenant's log to list (`GET /v1/entries`). Every filter given must
 * match (AND); string filters compare exactly. Paging is by sequence (keyset), never by offset.
 */
export interface EntryQuery {
  readonly type?: string;
  readonly source?: string;
  readonly changeid?: string;
  readonly actorId?: string;
  readonly subject?: string;
  /** RFC 3339 bounds on the entry's recordedAt: from inclusive, to exclusive. */
  readonly recordedFrom?: string;
  readonly recordedTo?: string;
  /** Only entries with sequence > after (the cursor when ascending). */
  readonly after?: number;
  /** Only entries with sequence < before (the cursor when descending). */
  readonly before?: number;
  /** Page size, 1..1000. */
  readonly limit: number;
  /** Sequence order; ascending by default. */
  readonly order?: 'asc' | 'desc';
}

export interface EntryPage {
  readonly entries: StoredEntry[];
  /** Pass as `after` (or `before` when descending) for the next page; undefined at the end. */
  readonly next?: number;
}

/** The index columns a query can filter on by equality; every adapter uses these names. */
export type EntryFilterColumn = 'type' | 'source' | 'changeid' | 'actor_id' | 'subject';

/** A validated query, as the adapters turn it into SQL. */
export interface EntryQueryPlan {
  readonly equals: ReadonlyArray<readonly [EntryFilterColumn, string]>;
  /** Time bounds as UTC text with microseconds (`…SS.ffffffZ`), the precision both stores keep. */
  readonly recordedFrom?: string;
  readonly recordedTo?: string;
  readonly after?: number;
  readonly before?: number;
  readonly limit: number;
  readonly descending: boolean;
}

const FILTERS: ReadonlyArray<readonly [keyof EntryQuery, EntryFilterColumn]> = [
  ['type', 'type'],
  ['source', 'source'],
  ['changeid', 'changeid'],
  ['actorId', 'actor_id'],
  ['subject', 'subject'],
];

const invalid = (message: string, field: string): LedgerError => new LedgerError('INVALID_QUERY', message, { field });

// Checks a query before any SQL runs: the HTTP edge validates too, but the store is the last
// line against a page size that would read the whole log or a bound that names no instant.
export function planEntryQuery(query: EntryQuery): EntryQueryPlan {
  const { limit, after, before, order } = query;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ENTRY_QUERY_LIMIT) {
    throw invalid(`limit must be an integer from 1 to ${MAX_ENTRY_QUERY_LIMIT}`, 'limit');
  }
  for (const [field, value] of [
    ['after', after],
    ['before', before],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0))
      throw invalid(`${field} must be a sequence number (an integer ≥ 0)`, field);
  }
  if (order !== undefined && order !== 'asc' && order !== 'desc') throw invalid('order must be "asc" or "desc"', 'order');
  const equals: [EntryFilterColumn, string][] = [];
  for (const [field, column] of FILTERS) {
    const value = query[field];
    if (value === undefined) continue;
    // PostgreSQL text cannot hold NUL, so no stored attribute could ever match one.
    if (typeof value !== 'string' || value.includes('\0')) throw invalid(`${field} must be a string without NUL characters`, field);
    equals.push([column, value]);
  }
  return {
    equals,
    recordedFrom: instant(query.recordedFrom, 'recordedFrom'),
    recordedTo: instant(query.recordedTo, 'recordedTo'),
    after,
    before,
    limit,
    descending: order === 'desc',
  };
}

function instant(text: string | undefined, field: string): string | undefined {
  if (text === undefined) return undefined;
  const micros = typeof text === 'string' ? timestampMicros(text) : undefined;
  if (micros === undefined)
    throw invalid(`${field} must be an RFC 3339 date-time naming a real instant (e.g. 2026-11-21T09:30:00Z)`, field);
  return timestampText(micros);
}

// The WHERE conditions of a plan besides the log, each value bound through `bind` (which
// returns the placeholder) and time bounds first passed through `recordedAt`, which turns
// them into what the store's column compares against.
export function entryQueryConditions(
  plan: EntryQueryPlan,
  bind: (value: unknown) => string,
  recordedAt: (bound: string) => unknown,
): string[] {
  const conditions = plan.equals.map(([column, value]) => `${column} = ${bind(value)}`);
  if (plan.after !== undefined) conditions.push(`sequence > ${bind(plan.after)}`);
  if (plan.before !== undefined) conditions.push(`sequence < ${bind(plan.before)}`);
  if (plan.recordedFrom !== undefined) conditions.push(`recorded_at >= ${bind(recordedAt(plan.recordedFrom))}`);
  if (plan.recordedTo !== undefined) conditions.push(`recorded_at < ${bind(recordedAt(plan.recordedTo))}`);
  return conditions;
}

// Adapters read `limit + 1` rows: the extra one only says whether another page exists, so
// `next` is undefined exactly at the end and a client never fetches an empty last page.
export function toEntryPage(rows: StoredEntry[], limit: number): EntryPage {
  if (rows.length <= limit) return { entries: rows };
  const entries = rows.slice(0, limit);
  return { entries, next: entries[limit - 1].sequence };
}
