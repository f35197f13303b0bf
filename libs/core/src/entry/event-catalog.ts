/**
 * The v1 event catalog (docs/design.md). Typed events get strict schemas at the HTTP edge; any
 * other producer event must use the `x.` prefix; `ledger.*` events are written by the server
 * only (checkpoints, key rotation, packs, erasure, retention).
 */
export const CATALOG_EVENT_TYPES = [
  'agent.task.requested',
  'agent.action.performed',
  'model.invocation.completed',
  'policy.decision.recorded',
  'scan.completed',
  'review.decision.recorded',
  'change.opened',
  'change.committed',
  'change.merged',
  'deployment.completed',
  'deployment.rolled_back',
  'budget.threshold.crossed',
  'exception.response.recorded',
] as const;

export type CatalogEventType = (typeof CATALOG_EVENT_TYPES)[number];

export const LEDGER_EVENT_TYPES = {
  keyRotated: 'ledger.key.rotated',
  /** An operator issued an admin API key with store access (`keys break-glass`): who and why. */
  breakGlassKeyIssued: 'ledger.api-key.break-glass',
} as const;

const catalog = new Set<string>(CATALOG_EVENT_TYPES);

export function isCatalogEventType(type: string): type is CatalogEventType {
  return catalog.has(type);
}

export function isServerEventType(type: string): boolean {
  return type.startsWith('ledger.');
}

export function isExtensionEventType(type: string): boolean {
  return type.startsWith('x.');
}
