import { QueryConfig } from 'pg';
import { entryQueryConditions, EntryQueryPlan } from '../entry-query';
import { ENTRY_COLUMNS } from './postgres-statements';

/**
 * The statement for one page: keyset on (log_id, sequence), `limit + 1` rows (see
 * toEntryPage). Unnamed, so each run is planned for its own values: the filter combination
 * decides which index serves it. Time bounds go in as UTC text; `recorded_at` is timestamptz.
 */
export function postgresEntryQuery(tables: { entries: string; logs: string }, tenant: string, plan: EntryQueryPlan): QueryConfig {
  const values: unknown[] = [tenant];
  const bind = (value: unknown) => `$${values.push(value)}`;
  const conditions = entryQueryConditions(plan, bind, (bound) => bound);
  const where = [`log_id = (SELECT log_id FROM ${tables.logs} WHERE tenant = $1)`, ...conditions].join(' AND ');
  const limit = bind(plan.limit + 1);
  return {
    text: `SELECT ${ENTRY_COLUMNS} FROM ${tables.entries} WHERE ${where} ORDER BY sequence${plan.descending ? ' DESC' : ''} LIMIT ${limit}`,
    values,
  };
}
