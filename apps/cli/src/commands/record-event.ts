import { Actor, isGovernanceEventType, PRODUCER_ROLE_ATTRIBUTE, uuidv7 } from '@evidence-ledger/core';
import { CliError } from '../cli-error';

/** The envelope attributes `record` takes from its options. */
export interface EnvelopeOptions {
  readonly change?: string;
  readonly source: string;
  readonly subject?: string;
  readonly actor?: string;
  readonly id?: string;
  readonly time?: string;
}

export const DEFAULT_SOURCE = 'urn:evidence-ledger:cli';

const TYPE = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;
const ACTOR_KINDS = ['human', 'agent', 'service'];

// One CloudEvent as `record` posts it: a fresh UUIDv7 id (unless --id names one, for a
// retry), the time now, and the catalog data. The service validates the rest.
export function recordedEvent(type: string, data: unknown, o: EnvelopeOptions, now = new Date()): Record<string, unknown> {
  if (!TYPE.test(type))
    throw new CliError('USAGE', `"${type}" is not an event type; use a catalog type such as scan.completed, or x.<your.type>`);
  return {
    specversion: '1.0',
    id: o.id ?? uuidv7(now.getTime()),
    source: o.source,
    type,
    ...(o.subject && { subject: o.subject }),
    time: o.time ?? now.toISOString(),
    datacontenttype: 'application/json',
    ...(o.actor && { actor: parseActor(o.actor) }),
    ...(o.change && { changeid: o.change }),
    ...(data !== undefined && { data }),
    // Settings and exception responses are recorded with an admin key, and the service stamps
    // that role on the entry: declaring it keeps the bytes the receipt is verified against the same.
    ...(isGovernanceEventType(type) && { [PRODUCER_ROLE_ATTRIBUTE]: 'admin' }),
  };
}

/** `--actor kind:id`, e.g. `service:github-actions` or `human:alice@acme.com`. */
export function parseActor(text: string): Actor {
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (colon < 1 || !ACTOR_KINDS.includes(kind) || id === '') {
    throw new CliError('USAGE', `--actor must be <kind>:<id> with kind human, agent or service, e.g. service:github-actions`);
  }
  return { kind: kind as Actor['kind'], id };
}
