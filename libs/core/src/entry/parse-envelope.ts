import { FieldViolation, InvalidEventError } from '../errors/ledger-error';
import { isCatalogEventType, isExtensionEventType, isServerEventType } from './event-catalog';
import { EventEnvelope, SERVER_FIELDS } from './event-envelope';
import { checkJsonValue, checkString, EVENT_TYPE, EXTENSION_NAME, isPlainObject, JSON_MEDIA_TYPE, RFC3339, UUID } from './envelope-rules';
import { LIMITS } from './limits';

const STRING_ATTRIBUTES = ['subject', 'changeid', 'correlationid', 'causationid', 'dataschema'] as const;
const KNOWN = new Set<string>(['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data', 'actor', ...STRING_ATTRIBUTES]);
const ACTOR_KINDS = new Set(['human', 'agent', 'service']);
const ACTOR_KEYS = new Set(['kind', 'id', 'issuer', 'role']);

// Checks one posted event against the CloudEvents 1.0 envelope and the ledger's extensions,
// returning every violation (paths relative to `path`). Typed `data` schemas are checked at
// the HTTP edge; this is the floor every entry point shares.
export function envelopeViolations(input: unknown, path = ''): FieldViolation[] {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  if (!isPlainObject(input)) return [{ path: path || '$', message: 'must be a JSON object' }];
  const v: FieldViolation[] = [];
  if (input.specversion !== '1.0') v.push({ path: at('specversion'), message: 'must be "1.0"' });
  v.push(...checkString(input.id, at('id'), { required: true, max: 36, pattern: UUID, patternHint: 'must be a UUID (v7 recommended)' }));
  v.push(...checkString(input.source, at('source'), { required: true }));
  v.push(...typeViolations(input.type, at('type')));
  v.push(...checkString(input.time, at('time'), { max: 40, pattern: RFC3339, patternHint: 'must be an RFC 3339 date-time' }));
  v.push(
    ...checkString(input.datacontenttype, at('datacontenttype'), {
      pattern: JSON_MEDIA_TYPE,
      patternHint: 'must be a JSON media type; large artefacts are referenced by digest',
    }),
  );
  for (const a of STRING_ATTRIBUTES) v.push(...checkString(input[a], at(a)));
  if (input.actor !== undefined) v.push(...actorViolations(input.actor, at('actor')));
  if (input.data !== undefined) v.push(...checkJsonValue(input.data, at('data')));
  for (const [key, value] of Object.entries(input)) {
    if (KNOWN.has(key)) continue;
    if ((SERVER_FIELDS as readonly string[]).includes(key)) {
      v.push({ path: at(key), message: 'is set by the ledger, never by the producer' });
    } else if (!EXTENSION_NAME.test(key)) {
      v.push({ path: at(key), message: 'is not a CloudEvents attribute (extension names are a-z0-9, at most 20)' });
    } else if (!['string', 'number', 'boolean'].includes(typeof value)) {
      v.push({ path: at(key), message: 'extension attributes must be a string, number or boolean' });
    } else if (typeof value === 'string') {
      v.push(...checkString(value, at(key)));
    } else {
      v.push(...checkJsonValue(value, at(key)));
    }
  }
  return v;
}

// Validates and normalizes one event: the id is lowercased so retries match whatever case
// the producer's UUID library prints.
export function parseEnvelope(input: unknown): EventEnvelope {
  const violations = envelopeViolations(input);
  if (violations.length > 0) throw new InvalidEventError('the event is invalid', violations);
  return normalized(input as Record<string, unknown>);
}

// A checked event, with its id lowercased.
function normalized(event: Record<string, unknown>): EventEnvelope {
  return { ...event, id: (event.id as string).toLowerCase() } as EventEnvelope;
}

// Validates a whole batch; an invalid event rejects the batch, listing every violation.
export function parseEventBatch(input: unknown): EventEnvelope[] {
  const events = Array.isArray(input) ? input : [input];
  if (events.length === 0)
    throw new InvalidEventError('the batch is empty', [{ path: '$', message: 'must contain at least one event' }], 'EMPTY_BATCH');
  if (events.length > LIMITS.maxBatchEvents) {
    throw new InvalidEventError(
      `a batch holds at most ${LIMITS.maxBatchEvents} events`,
      [{ path: '$', message: `has ${events.length} events; the limit is ${LIMITS.maxBatchEvents}` }],
      'BATCH_TOO_LARGE',
    );
  }
  const prefix = (i: number) => (Array.isArray(input) ? `[${i}]` : '');
  const violations = events.flatMap((e, i) => envelopeViolations(e, prefix(i)));
  if (violations.length > 0) throw new InvalidEventError('the batch contains invalid events; nothing was written', violations);
  const parsed = events.map((e) => normalized(e as Record<string, unknown>)); // checked above, once
  const seen = new Map<string, number>();
  const duplicates: FieldViolation[] = [];
  parsed.forEach((e, i) => {
    const first = seen.get(e.id);
    if (first !== undefined) duplicates.push({ path: `${prefix(i)}.id`, message: `repeats the id of event ${prefix(first) || 0}` });
    else seen.set(e.id, i);
  });
  if (duplicates.length > 0) {
    throw new InvalidEventError('event ids must be unique within a batch', duplicates, 'DUPLICATE_ID_IN_BATCH');
  }
  return parsed;
}

function typeViolations(type: unknown, path: string): FieldViolation[] {
  const basic = checkString(type, path, {
    required: true,
    max: 128,
    pattern: EVENT_TYPE,
    patternHint: 'must be dotted lowercase, e.g. "scan.completed"',
  });
  if (basic.length > 0) return basic;
  const t = type as string;
  if (isServerEventType(t)) return [{ path, message: `"${t}" is written by the ledger only` }];
  if (!isCatalogEventType(t) && !isExtensionEventType(t)) {
    return [{ path, message: `"${t}" is not in the v1 catalog; use the "x." prefix for your own types` }];
  }
  return [];
}

function actorViolations(actor: unknown, path: string): FieldViolation[] {
  if (!isPlainObject(actor)) return [{ path, message: 'must be an object {kind, id, issuer?, role?}' }];
  const v: FieldViolation[] = [];
  if (!ACTOR_KINDS.has(actor.kind as string)) v.push({ path: `${path}.kind`, message: 'must be "human", "agent" or "service"' });
  v.push(...checkString(actor.id, `${path}.id`, { required: true, max: 256 }));
  v.push(...checkString(actor.issuer, `${path}.issuer`));
  v.push(...checkString(actor.role, `${path}.role`, { max: 256 }));
  for (const key of Object.keys(actor)) if (!ACTOR_KEYS.has(key)) v.push({ path: `${path}.${key}`, message: 'is not an actor field' });
  return v;
}
