import { IJsonLimits, LIMITS, parseIJson, parseIJsonText } from '@evidence-ledger/core';

/**
 * Nesting any request body may have. Deep enough for an event whose `data` uses all of
 * LIMITS.maxDepth inside a batch array (whose violations name the field), and shallow enough
 * that no later recursion (validation, canonical JSON, digests) can exhaust the stack.
 */
export const MAX_BODY_DEPTH = 64;

const EVENT_BOUND = { maxCanonicalBytes: LIMITS.maxEventBytes } as const;

/**
 * What a JSON body holds, for every parser the service runs (the one place their I-JSON rules
 * and bounds live): `events: 'each'` for a body of one event or an array of events,
 * `'whole'` for a body that is all one event (CloudEvents binary-mode `data`).
 */
export function parseJsonBody(raw: Buffer | string, events?: 'each' | 'whole'): unknown {
  const limits: IJsonLimits = { maxDepth: MAX_BODY_DEPTH, ...(events ? { events: { ...EVENT_BOUND, items: events } } : {}) };
  return typeof raw === 'string' ? parseIJsonText(raw, limits) : parseIJson(raw, limits);
}
