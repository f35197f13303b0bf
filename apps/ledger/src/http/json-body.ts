import { IJsonLimits, LIMITS, parseIJson, parseIJsonText } from '@evidence-ledger/core';

/**
 * Nesting any request body may have. Deep enough for an event whose `data` uses all of
 * LIMITS.maxDepth inside a batch array (whose violations name the field), and shallow enough
 * that no later recursion (validation, canonical JSON, digests) can exhaust the stack.
 */
export const MAX_BODY_DEPTH = 64;

const EVENT_BOUND = { maxCanonicalBytes: LIMITS.maxEventBytes } as const;

/** How one body is read: see parseJsonBody. */
export interface JsonBodyOptions {
  /** `'each'`: a body of one event or an array of events; `'whole'`: a body that is all one event (binary-mode `data`). */
  readonly events?: 'each' | 'whole';
  /** Builds the value from the checked text (default JSON.parse). */
  readonly parse?: (text: string) => unknown;
  /** Only for a body whose parts are refused one by one, each with its own nesting check. */
  readonly maxDepth?: number;
}

/**
 * What a JSON body holds, for every parser the service runs (the one place their I-JSON rules
 * and bounds live). Events that cannot fit are refused from the text before it is parsed.
 */
export function parseJsonBody(raw: Buffer | string, options: JsonBodyOptions = {}): unknown {
  const limits: IJsonLimits = {
    maxDepth: options.maxDepth ?? MAX_BODY_DEPTH,
    ...(options.events ? { events: { ...EVENT_BOUND, items: options.events } } : {}),
  };
  return typeof raw === 'string' ? parseIJsonText(raw, limits, options.parse) : parseIJson(raw, limits, options.parse);
}
