import { EntryFilterColumn, EntryPage, EntryQueryPlan, toEntryPage } from '../entry-query';
import { EntryIndex, StoredEntry } from '../ledger-store';
import { timestampMicros } from '../postgres/postgres-timestamp';
import { EntryReader, PAGE_SIZE } from './entry-reader';
import { DecodedEntry } from './entry-metadata';

const ATTRIBUTE: Record<EntryFilterColumn, keyof EntryIndex> = {
  type: 'type',
  source: 'source',
  changeid: 'changeid',
  actor_id: 'actorId',
  subject: 'subject',
};

/** A plan's conditions, decided on one entry from its metadata alone. */
export function entryMatcher(plan: EntryQueryPlan): (entry: DecodedEntry) => boolean {
  const from = plan.recordedFrom === undefined ? undefined : timestampMicros(plan.recordedFrom);
  const to = plan.recordedTo === undefined ? undefined : timestampMicros(plan.recordedTo);
  return ({ entry, index }) => {
    if (plan.after !== undefined && entry.sequence <= plan.after) return false;
    if (plan.before !== undefined && entry.sequence >= plan.before) return false;
    for (const [column, value] of plan.equals) if (index[ATTRIBUTE[column]] !== value) return false;
    if (from === undefined && to === undefined) return true;
    const at = timestampMicros(index.recordedAt);
    return at !== undefined && (from === undefined || at >= from) && (to === undefined || at < to);
  };
}

/**
 * One page of `queryEntries` over a log stream. KurrentDB has no secondary index, so every
 * filter — changeid included — is checked while walking the log in sequence order from the
 * cursor, page by page: a page costs the entries walked to fill it, and a filter that matches
 * nothing walks to the end of the log (docs/kurrentdb.md). Reads `limit + 1` matches at most,
 * as every adapter does (toEntryPage).
 */
export async function queryLogStream(reader: EntryReader, stream: string, plan: EntryQueryPlan): Promise<EntryPage> {
  const matches = entryMatcher(plan);
  const wanted = plan.limit + 1;
  const found: StoredEntry[] = [];
  const doing = 'querying entries';
  if (!plan.descending) {
    const end = plan.before ?? Number.MAX_SAFE_INTEGER;
    for (let cursor = plan.after === undefined ? 0 : plan.after + 1; cursor < end && found.length < wanted;) {
      const count = Math.min(PAGE_SIZE, end - cursor);
      const page = await reader.forwards(stream, cursor, count, doing);
      for (const d of page) if (matches(d) && found.push(d.entry) === wanted) break;
      if (page.length < count) break;
      cursor += page.length;
    }
  } else {
    const floor = plan.after ?? -1;
    let from: number | 'end' = 'end';
    if (plan.before !== undefined) {
      // Start at the log's end when the cursor lies beyond it, rather than rely on how the
      // server answers a backwards read from a revision that does not exist.
      const last = await reader.last(stream, doing);
      if (!last) return { entries: [] };
      from = Math.min(plan.before - 1, last.entry.sequence);
    }
    while (found.length < wanted && (from === 'end' || from > floor)) {
      const page = await reader.backwards(stream, from, PAGE_SIZE, doing);
      for (const d of page) if (d.entry.sequence > floor && matches(d) && found.push(d.entry) === wanted) break;
      if (page.length < PAGE_SIZE) break;
      from = page[page.length - 1].entry.sequence - 1;
    }
  }
  return toEntryPage(found, plan.limit);
}
