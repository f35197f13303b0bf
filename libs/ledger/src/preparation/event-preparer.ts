import { EventEnvelope, prepareEvent, PreparedEvent } from '@evidence-ledger/core';

/**
 * Turns validated envelopes into prepared events (canonical form computed, size checked),
 * outside the tenant's critical section. Every implementation gives the same events, in
 * order, and throws the same error for the same batch as preparing them one by one here.
 */
export interface EventPreparer {
  prepare(envelopes: readonly EventEnvelope[]): Promise<PreparedEvent[]>;
  close(): Promise<void>;
}

/** `envelopes[i]` prepared as the event at index `offset + i` of its batch. */
export function prepareInline(envelopes: readonly EventEnvelope[], offset = 0): PreparedEvent[] {
  return envelopes.map((e, i) => prepareEvent(e, offset + i));
}

/** Prepares on the caller's thread. */
export const INLINE_PREPARER: EventPreparer = {
  prepare: async (envelopes) => prepareInline(envelopes),
  close: async () => undefined,
};
