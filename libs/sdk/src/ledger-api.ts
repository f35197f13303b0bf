import type { FieldViolation, Receipt } from '@evidence-ledger/core';
import type { OutgoingEvent } from './ledger-event';
import type { AttemptOutcome } from './retry-policy';

/** An RFC 9457 problem, as the ledger reports every error (docs/api.md, "Errors"). */
export interface Problem {
  readonly status: number;
  /** The ledger's stable code, or `HTTP_<status>` when the answer was not a problem document. */
  readonly code: string;
  readonly detail: string;
  readonly errors: readonly FieldViolation[];
  /** False when the answer was not a JSON problem document: `code` and `detail` are then stand-ins. */
  readonly document: boolean;
}

/** The methods the ledger's API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What one request came back with. */
export type ApiOutcome<T> =
  | { readonly kind: 'ok'; readonly status: number; readonly body: T }
  | ({ readonly kind: 'answered'; readonly problem: Problem } & Extract<AttemptOutcome, { kind: 'answered' }>)
  | Extract<AttemptOutcome, { kind: 'network' }>;

/** `GET /v1/proofs/consistency` (RFC 9162 §2.1.4), hashes in standard base64. */
export interface ConsistencyProofJson {
  readonly fromSize: number;
  readonly toSize: number;
  readonly hashes: readonly string[];
}

/** `GET /v1/public-keys`. */
export interface PublicKeysJson {
  readonly origin: string;
  readonly keys: readonly { readonly keyId: string; readonly verifierKey: string; readonly status: string }[];
}

export interface LedgerApiOptions {
  /** Base URL of the ledger, e.g. `https://ledger.acme.internal`. */
  readonly url: string;
  readonly apiKey: string;
  /** Each request, body included, is abandoned (and counts as a network error) after this long. */
  readonly requestTimeoutMs: number;
}

const USER_AGENT = 'evidence-ledger-sdk/0.1';

/**
 * The ledger's HTTP API as the producer uses it, over Node's global `fetch`. Every call
 * resolves to an outcome — receipts, a problem, or a network error — and never throws for
 * transport reasons, so the caller decides what is worth retrying.
 */
export class LedgerApi {
  private readonly base: string;

  constructor(private readonly options: LedgerApiOptions) {
    this.base = options.url.replace(/\/+$/, '');
  }

  // POST /v1/events with an array, so the answer is always an array of receipts in the same
  // order. A 2xx whose body is not exactly that counts as a network error: retrying is safe,
  // the ledger answers a retried id with its original receipt.
  async postEvents(events: readonly OutgoingEvent[], signal: AbortSignal): Promise<ApiOutcome<Receipt[]>> {
    const body = `[${events.map((e) => e.json).join(',')}]`;
    const outcome = await this.request<unknown>('POST', '/v1/events', signal, body);
    if (outcome.kind !== 'ok') return outcome;
    const receipts = outcome.body;
    if (!Array.isArray(receipts) || receipts.length !== events.length || !receipts.every(isReceiptShaped)) {
      return { kind: 'network', error: new Error(`the ledger answered ${outcome.status} without one receipt per event`) };
    }
    return { kind: 'ok', status: outcome.status, body: receipts };
  }

  consistencyProof(fromSize: number, toSize: number, signal: AbortSignal): Promise<ApiOutcome<ConsistencyProofJson>> {
    return this.request('GET', `/v1/proofs/consistency?from=${fromSize}&to=${toSize}`, signal);
  }

  publicKeys(signal: AbortSignal): Promise<ApiOutcome<PublicKeysJson>> {
    return this.request('GET', '/v1/public-keys', signal);
  }

  // Any other endpoint (API keys, evidence packs, integrations, replay …), for tools such as the
  // command line: `body` is sent as JSON, and an empty 2xx answer (a 204) resolves to `undefined`.
  send<T>(method: HttpMethod, path: string, signal: AbortSignal, body?: unknown): Promise<ApiOutcome<T>> {
    return this.request<T>(method, path, signal, body === undefined ? undefined : JSON.stringify(body), true);
  }

  // A download too large to hold in memory: a 2xx resolves to the body as a stream. The caller's
  // signal bounds the whole transfer; `requestTimeoutMs` does not, since the body outlives the call.
  async stream(path: string, signal: AbortSignal): Promise<ApiOutcome<ReadableStream<Uint8Array>>> {
    try {
      const response = await fetch(`${this.base}${path}`, { headers: this.headers(false), signal });
      if (response.status >= 200 && response.status < 300 && response.body)
        return { kind: 'ok', status: response.status, body: response.body };
      return this.refusal(response, await response.text().catch(() => ''));
    } catch (error) {
      return { kind: 'network', error };
    }
  }

  private headers(json: boolean): Record<string, string> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.apiKey}`, 'user-agent': USER_AGENT };
    if (json) headers['content-type'] = 'application/json';
    return headers;
  }

  private refusal(response: Response, text: string): ApiOutcome<never> {
    return {
      kind: 'answered',
      status: response.status,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      problem: problemOf(response.status, text),
    };
  }

  private async request<T>(method: HttpMethod, path: string, signal: AbortSignal, body?: string, emptyOk = false): Promise<ApiOutcome<T>> {
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new Error(`no answer within ${this.options.requestTimeoutMs} ms`)),
      this.options.requestTimeoutMs,
    );
    const forward = () => deadline.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    try {
      const headers = this.headers(body !== undefined);
      const response = await fetch(`${this.base}${path}`, { method, headers, body, signal: deadline.signal });
      const text = await response.text();
      if (response.status >= 200 && response.status < 300) {
        if (emptyOk && text === '') return { kind: 'ok', status: response.status, body: undefined as T };
        try {
          return { kind: 'ok', status: response.status, body: JSON.parse(text) as T };
        } catch (error) {
          return { kind: 'network', error };
        }
      }
      return this.refusal(response, text);
    } catch (error) {
      return { kind: 'network', error };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', forward);
    }
  }
}

// RFC 9110 §10.2.3: delay-seconds or an HTTP-date.
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function problemOf(status: number, text: string): Problem {
  try {
    const p = JSON.parse(text) as Partial<Problem>;
    return {
      status,
      code: typeof p.code === 'string' ? p.code : `HTTP_${status}`,
      detail: typeof p.detail === 'string' ? p.detail : text.slice(0, 200),
      errors: Array.isArray(p.errors) ? p.errors.filter((e) => typeof e?.path === 'string') : [],
      document: true,
    };
  } catch {
    return { status, code: `HTTP_${status}`, detail: text.slice(0, 200) || `HTTP ${status}`, errors: [], document: false };
  }
}

function isReceiptShaped(r: unknown): r is Receipt {
  const x = r as Receipt;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.id === 'string' &&
    Number.isSafeInteger(x.sequence) &&
    typeof x.leafHash === 'string' &&
    typeof x.chainHash === 'string' &&
    typeof x.recordedAt === 'string' &&
    typeof x.checkpoint === 'string' &&
    typeof x.inclusionProof === 'object' &&
    x.inclusionProof !== null &&
    Array.isArray(x.inclusionProof.hashes)
  );
}
