import { Actor, envelopeViolations, EventEnvelope, JsonValue, LIMITS, uuidv7 } from '@evidence-ledger/core';
import { EventRejectedError } from './errors';

/**
 * The CloudEvents attributes and ledger extensions of one event, besides `type` and `data`
 * (docs/event-catalog.md, "The envelope"). Names are the envelope's own, so what you set is
 * what the log shows.
 */
export interface EventAttributes {
  /** A UUID, unique per tenant. Default: a fresh UUIDv7. Give your own to make a retry of *your* operation idempotent. */
  readonly id?: string;
  /** URI-reference of the producing service. Default: the client's `source`. */
  readonly source?: string;
  readonly subject?: string;
  /** When the fact happened (RFC 3339 with an offset, or a Date). Default: when it was recorded. */
  readonly time?: string | Date;
  /** Who or what acted. Default: the client's `actor`, if any. */
  readonly actor?: Actor;
  /** The change this belongs to, e.g. `github.com/acme/pay#482`; timelines are built from it. */
  readonly changeid?: string;
  readonly correlationid?: string;
  readonly causationid?: string;
  readonly dataschema?: string;
  /** Other CloudEvents extension attributes: lowercase a–z0–9 names (≤ 20), scalar values. */
  readonly extensions?: Readonly<Record<string, string | number | boolean>>;
}

/** The client-wide defaults an event is built with. */
export interface EventDefaults {
  readonly source: string;
  readonly actor?: Actor;
  readonly now: () => Date;
}

/**
 * One event as it travels: the envelope, and its JSON text exactly as it is spooled and
 * posted. `envelope` is parsed back from `json`, so it is the very value the ledger stores
 * and hashes — the receipt's leaf hash is checked against it.
 */
export interface OutgoingEvent {
  readonly id: string;
  readonly type: string;
  readonly envelope: EventEnvelope;
  readonly json: string;
  /** UTF-8 size of `json`. */
  readonly bytes: number;
}

// Server fields (tenant, sequence, recordedAt, producer) add well under this many bytes to an
// entry; an event whose own JSON leaves less room than this is refused before it is sent.
const SERVER_FIELDS_ALLOWANCE = 256;

// Builds the envelope of one event from its type, data and attributes plus the client's
// defaults, and checks it against the same envelope rules the ledger applies, so an invalid
// event fails here, alone, instead of taking a whole batch down with it.
export function buildEvent(type: string, data: unknown, attributes: EventAttributes, defaults: EventDefaults): OutgoingEvent {
  const { id, source, time, actor, extensions, ...named } = attributes;
  const acting = actor ?? defaults.actor;
  const draft: Record<string, unknown> = {
    ...extensions,
    specversion: '1.0',
    id: (id ?? uuidv7(defaults.now().getTime())).toLowerCase(),
    source: source ?? defaults.source,
    type,
    time: time instanceof Date ? time.toISOString() : (time ?? defaults.now().toISOString()),
    datacontenttype: 'application/json',
    ...(acting ? { actor: acting } : {}),
    ...withoutUndefined(named),
    data,
  };
  return outgoingEvent(draft);
}

// Checks an envelope and freezes it into the JSON text that is spooled and posted.
export function outgoingEvent(draft: Readonly<Record<string, unknown>>): OutgoingEvent {
  let json: string;
  try {
    json = JSON.stringify(draft);
  } catch (cause) {
    throw new EventRejectedError(String(draft.id), 'INVALID_ENVELOPE', `the event is not JSON: ${(cause as Error).message}`);
  }
  const envelope = JSON.parse(json) as EventEnvelope;
  const violations = envelopeViolations(envelope);
  if (violations.length > 0) throw new EventRejectedError(String(draft.id), 'INVALID_ENVELOPE', 'the event is invalid', violations);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > LIMITS.maxEventBytes - SERVER_FIELDS_ALLOWANCE) {
    throw new EventRejectedError(
      envelope.id,
      'EVENT_TOO_LARGE',
      `the event is ${bytes} bytes of JSON; an entry is at most ${LIMITS.maxEventBytes}`,
      [{ path: '$', message: 'reference large artefacts by digest instead of inlining them' }],
    );
  }
  return { id: envelope.id, type: envelope.type, envelope, json, bytes };
}

function withoutUndefined(record: Record<string, unknown>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value as JsonValue;
  return out;
}

// An event read back from the spool: already checked when it was first recorded.
export function spooledEvent(json: string): OutgoingEvent {
  const envelope = JSON.parse(json) as EventEnvelope;
  return { id: envelope.id, type: envelope.type, envelope, json, bytes: Buffer.byteLength(json, 'utf8') };
}
