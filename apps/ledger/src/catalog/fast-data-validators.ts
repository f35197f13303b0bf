import { CatalogEventType } from '@evidence-ledger/core';
import { CATALOG_DATA_CLASSES } from './catalog-registry';
import { AcceptorOrRefusal, compileDataAcceptor } from './data-acceptor';
import { isPlainJsonPassingPreflight } from './data-preflight';

// Compiled once per type, at its first event.
const compiled = new Map<CatalogEventType, AcceptorOrRefusal>();

function acceptorOf(type: CatalogEventType): AcceptorOrRefusal {
  let entry = compiled.get(type);
  if (!entry) compiled.set(type, (entry = compileDataAcceptor(CATALOG_DATA_CLASSES[type])));
  return entry;
}

/**
 * The fast path of `validateEventData`: `true` when the `data` of a typed event is valid, so
 * that neither class-transformer nor class-validator need to run. `false` only means "not
 * decided here": the caller then runs them, for the decision and the messages. It decides
 * only a plain JSON object that passes the preflight (see `data-acceptor.ts` for why).
 */
export function isValidEventDataFast(type: CatalogEventType, data: unknown): boolean {
  const acceptor = acceptorOf(type);
  return (
    'accepts' in acceptor &&
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    isPlainJsonPassingPreflight(data) &&
    acceptor.accepts(data as Record<string, unknown>)
  );
}

/** Why the events of `type` always take the class-validator path, or `undefined` when they need not. */
export function fastPathRefusal(type: CatalogEventType): string | undefined {
  const acceptor = acceptorOf(type);
  return 'refused' in acceptor ? acceptor.refused : undefined;
}
