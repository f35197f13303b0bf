import { isGovernanceEventType } from '@evidence-ledger/core';

/** Consecutive events to post in one request, with the key role that may post them. */
export interface PostingRun<E> {
  readonly role: 'producer' | 'admin';
  readonly events: E[];
}

// Splits events, in order, into requests of at most `maxBatch`: governance events (settings,
// exception responses) go with an admin key, everything else with a producer key (the service
// refuses them otherwise). Order is kept, so the log folds the same as if one key had posted
// everything.
export function postingRuns<E extends { readonly type?: unknown }>(events: readonly E[], maxBatch: number): PostingRun<E>[] {
  const runs: { role: 'producer' | 'admin'; events: E[] }[] = [];
  for (const event of events) {
    const role = typeof event.type === 'string' && isGovernanceEventType(event.type) ? 'admin' : 'producer';
    const last = runs[runs.length - 1];
    if (last && last.role === role && last.events.length < maxBatch) last.events.push(event);
    else runs.push({ role, events: [event] });
  }
  return runs;
}
