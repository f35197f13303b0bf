import { entryQueryConditions, EntryQueryPlan } from '../entry-query';

const LATEST_STORED = '9999-12-31T23:59:59.999Z';

/**
 * A time bound as the SQLite column compares it. `recorded_at` holds the sequencer's
 * `Date#toISOString()` text (UTC, milliseconds), whose lexicographic order is time order, so
 * a bound becomes the same form rounded up to the next millisecond: for a whole-millisecond
 * column, `t >= b` ⇔ `t >= ceil(b)` and `t < b` ⇔ `t < ceil(b)`.
 */
export function sqliteRecordedAt(bound: string): string {
  // `bound` is `…SS.mmmuuuZ` (entry-query.ts): keep the milliseconds, round up the rest.
  const ms = Date.parse(`${bound.slice(0, 23)}Z`) + (bound.slice(23, 26) === '000' ? 0 : 1);
  const text = new Date(ms).toISOString();
  // Rounding past year 9999 yields `+010000-…`, which sorts first; '~' sorts after any stored text.
  return text.length === LATEST_STORED.length ? text : `${LATEST_STORED}~`;
}

/** The statement for one page: keyset on (log_id, sequence), `limit + 1` rows (see toEntryPage). */
export function sqliteEntryQuery(columns: string, logId: number, plan: EntryQueryPlan): { sql: string; values: unknown[] } {
  const values: unknown[] = [logId];
  const bind = (value: unknown) => {
    values.push(value);
    return '?';
  };
  const where = ['log_id = ?', ...entryQueryConditions(plan, bind, sqliteRecordedAt)].join(' AND ');
  values.push(plan.limit + 1);
  return { sql: `SELECT ${columns} FROM entries WHERE ${where} ORDER BY sequence${plan.descending ? ' DESC' : ''} LIMIT ?`, values };
}
