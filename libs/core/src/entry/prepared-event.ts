import { CanonicalObject } from '../canonical/canonical-object';
import { InvalidEventError } from '../errors/ledger-error';
import { EventEnvelope, SERVER_FIELDS, ServerFields } from './event-envelope';
import { LIMITS } from './limits';

/**
 * A validated event whose canonical form is already computed, waiting for a sequence.
 * Preparing happens outside the sequencer's critical section; sequencing only merges in the
 * server fields.
 */
export interface PreparedEvent {
  readonly envelope: EventEnvelope;
  readonly body: CanonicalObject;
}

export function prepareEvent(envelope: EventEnvelope, index = 0): PreparedEvent {
  return withinSize({ envelope, body: CanonicalObject.of(envelope, SERVER_FIELDS) }, index);
}

/**
 * The same prepared event from canonical segments computed elsewhere (another thread ran
 * `CanonicalObject.of(envelope, SERVER_FIELDS).toSegments()` on the same envelope), with the
 * same size check.
 */
export function preparedFromSegments(envelope: EventEnvelope, segments: readonly string[], index = 0): PreparedEvent {
  return withinSize({ envelope, body: CanonicalObject.fromSegments(SERVER_FIELDS, segments) }, index);
}

function withinSize(event: PreparedEvent, index: number): PreparedEvent {
  // Server fields add well under 200 bytes; checking the envelope keeps the limit exact
  // enough for producers to reason about, without canonicalizing twice.
  const size = event.body.byteLength();
  if (size > LIMITS.maxEventBytes) {
    throw new InvalidEventError(
      `an event is at most ${LIMITS.maxEventBytes} bytes of canonical JSON`,
      [{ path: `[${index}]`, message: `is ${size} bytes; the limit is ${LIMITS.maxEventBytes}` }],
      'EVENT_TOO_LARGE',
    );
  }
  return event;
}

// The bytes of entry `server.sequence`: RFC 8785 of envelope ∪ server fields.
export function entryBytes(event: PreparedEvent, server: ServerFields): Buffer {
  return event.body.withMembers(server as unknown as Record<string, unknown>);
}
