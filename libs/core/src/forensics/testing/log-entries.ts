import { canonicalBytes } from '../../canonical';
import { ProjectedEntry, projectEntry } from '../projected-entry';

// Test helper: catalog events turned into log entries exactly as the ledger stores them
// (canonical bytes with the server fields).

/** Entries for `events`, sequences from `start`, one second of the ledger's clock apart. */
export function asEntries(
  events: readonly Record<string, unknown>[],
  start = 0,
  firstRecordedAt = '2026-10-01T08:00:00.000Z',
): ProjectedEntry[] {
  const t0 = Date.parse(firstRecordedAt);
  return events.map((event, i) => {
    const sequence = start + i;
    const recordedAt = new Date(t0 + i * 1000).toISOString();
    return projectEntry(sequence, canonicalBytes({ ...event, tenant: 'acme', sequence, recordedAt, producer: 'test-producer' }));
  });
}
