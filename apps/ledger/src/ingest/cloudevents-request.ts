import { LedgerError } from '@evidence-ledger/core';
import { HttpProblem } from '../http/http-problem';
import { parseJsonBody } from '../http/json-body';

/** What an append request carries once its HTTP encoding is undone. */
export interface IngestPayload {
  /** One parsed event, or an array of them. */
  readonly body: unknown;
  readonly mode: 'structured' | 'batch' | 'binary' | 'json';
}

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/;
// CloudEvents HTTP binding §3.1.3: `ce-` headers carry attributes in binary mode.
const CE_PREFIX = 'ce-';

// Decodes the four ways a producer may post (docs/api.md): plain JSON (one event
// or an array), CloudEvents structured (`application/cloudevents+json`), batched
// (`application/cloudevents-batch+json`) and binary mode (`ce-*` headers, the body is `data`).
export function decodeIngestRequest(raw: Buffer, headers: Readonly<Record<string, string | string[] | undefined>>): IngestPayload {
  const contentType = mediaType(headers['content-type']);
  if (typeof headers['ce-specversion'] === 'string') return { body: binaryModeEvent(raw, headers, contentType), mode: 'binary' };
  if (contentType === 'application/cloudevents+json') {
    const body = parseJsonBody(raw, { events: 'each' });
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new LedgerError(
        'INVALID_ENVELOPE',
        'a structured CloudEvent must be one JSON object; send arrays as application/cloudevents-batch+json',
      );
    }
    return { body, mode: 'structured' };
  }
  if (contentType === 'application/cloudevents-batch+json') {
    const body = parseJsonBody(raw, { events: 'each' });
    if (!Array.isArray(body)) throw new LedgerError('INVALID_ENVELOPE', 'a CloudEvents batch must be a JSON array');
    return { body, mode: 'batch' };
  }
  if (contentType === 'application/json') return { body: parseJsonBody(raw, { events: 'each' }), mode: 'json' };
  throw new HttpProblem(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    `content type "${contentType || '(none)'}" is not accepted; use application/json, application/cloudevents+json, application/cloudevents-batch+json or CloudEvents binary mode`,
  );
}

function binaryModeEvent(
  raw: Buffer,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  contentType: string,
): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(CE_PREFIX) || typeof value !== 'string') continue;
    const attribute = name.slice(CE_PREFIX.length);
    event[attribute] = attribute === 'actor' ? parseHeaderJson(value, name) : percentDecode(value, name);
  }
  if (raw.length > 0) {
    if (!JSON_TYPE.test(contentType)) {
      throw new HttpProblem(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `binary-mode data must be JSON; got "${contentType || '(none)'}" — reference large artefacts by digest`,
      );
    }
    event.datacontenttype = headerValue(headers['content-type']);
    event.data = parseJsonBody(raw, { events: 'whole' });
  }
  return event;
}

// The `actor` extension is an object; in binary mode it travels as JSON in `ce-actor`.
function parseHeaderJson(value: string, header: string): unknown {
  try {
    return parseJsonBody(percentDecode(value, header));
  } catch {
    throw new LedgerError('INVALID_ENVELOPE', `header ${header} must hold the actor as JSON`);
  }
}

// CloudEvents HTTP binding §3.1.3.2: header values are percent-encoded.
function percentDecode(value: string, header: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new LedgerError('INVALID_ENVELOPE', `header ${header} is not valid percent-encoding`);
  }
}

function headerValue(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

function mediaType(v: string | string[] | undefined): string {
  return headerValue(v).split(';')[0].trim().toLowerCase();
}
