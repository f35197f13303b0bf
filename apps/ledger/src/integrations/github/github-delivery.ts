import { InvalidEventError, isPlainObject } from '@evidence-ledger/core';
import { HttpProblem } from '../../http/http-problem';
import { parseJsonBody } from '../../http/json-body';

/** One webhook delivery, once its signature is verified. */
export interface GithubDelivery {
  /** `X-GitHub-Event`, e.g. `pull_request`. */
  readonly event: string;
  /** `X-GitHub-Delivery`: the delivery's GUID, kept by GitHub's "Redeliver". */
  readonly deliveryId: string;
  readonly payload: Record<string, unknown>;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

// GitHub's event names are lowercase words joined by "_", some with digits (projects_v2_item).
const EVENT_NAME = /^[a-z0-9_]{1,64}$/;
const DELIVERY_ID = /^[A-Za-z0-9-]{1,64}$/;

export function githubEventName(headers: Headers): string {
  const event = headerValue(headers['x-github-event']);
  if (!EVENT_NAME.test(event)) throw headerError('x-github-event', 'must name the webhook event, e.g. "pull_request"');
  return event;
}

// GitHub posts JSON, or a form with the JSON in its `payload` field, per the webhook's
// content type setting.
export function decodeGithubDelivery(raw: Buffer, headers: Headers): GithubDelivery {
  const event = githubEventName(headers);
  const deliveryId = headerValue(headers['x-github-delivery']);
  if (!DELIVERY_ID.test(deliveryId)) throw headerError('x-github-delivery', "must be the delivery's GUID");
  const type = headerValue(headers['content-type']).split(';')[0].trim().toLowerCase();
  let json: Buffer | string;
  if (type === 'application/json') json = raw;
  else if (type === 'application/x-www-form-urlencoded') json = new URLSearchParams(raw.toString('utf8')).get('payload') ?? '';
  else {
    throw new HttpProblem(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `content type "${type || '(none)'}" is not accepted; set the webhook's content type to application/json`,
    );
  }
  const payload = parseJsonBody(json);
  if (!isPlainObject(payload))
    throw new InvalidEventError('the webhook payload must be a JSON object', [{ path: '$', message: 'must be a JSON object' }]);
  return { event, deliveryId, payload };
}

function headerError(header: string, message: string): InvalidEventError {
  return new InvalidEventError(`header ${header} ${message}`, [{ path: header, message }]);
}

function headerValue(v: string | string[] | undefined): string {
  return ((Array.isArray(v) ? v[0] : v) ?? '').trim();
}
