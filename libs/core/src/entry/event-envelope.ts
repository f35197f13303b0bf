/** Any JSON value, as parsed from a producer's request. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Who or what acted (docs/design.md, envelope extensions). */
export interface Actor {
  readonly kind: 'human' | 'agent' | 'service';
  readonly id: string;
  readonly issuer?: string;
  readonly role?: string;
}

/**
 * A CloudEvents 1.0 event as a producer posts it, with the ledger's extension attributes.
 * `tenant` is never taken from here: it comes from the producer's credential.
 */
export interface EventEnvelope {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  readonly time?: string;
  readonly datacontenttype?: string;
  readonly dataschema?: string;
  readonly data?: JsonValue;
  readonly actor?: Actor;
  readonly changeid?: string;
  readonly correlationid?: string;
  readonly causationid?: string;
  /** Other CloudEvents extension attributes (lowercase a–z0–9 names, scalar values). */
  readonly [extension: string]: JsonValue | Actor | undefined;
}

/** What the server adds to every entry before hashing it. */
export interface ServerFields {
  readonly tenant: string;
  readonly sequence: number;
  /** RFC 3339 UTC time the batch was committed, millisecond precision. */
  readonly recordedAt: string;
  /** Id of the credential that posted the event. */
  readonly producer: string;
}

export const SERVER_FIELDS: readonly (keyof ServerFields)[] = ['tenant', 'sequence', 'recordedAt', 'producer'];

/** The JSON object whose RFC 8785 bytes are stored and hashed as one log entry. */
export type EntryBody = EventEnvelope & ServerFields;
