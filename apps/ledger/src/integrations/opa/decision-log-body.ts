import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { InvalidEventError, LIMITS } from '@evidence-ledger/core';
import { HttpProblem } from '../../http/http-problem';
import { parseJsonBody } from '../../http/json-body';
import { parseExactJson } from '../exact-json';

const gunzipAsync = promisify<Buffer, { maxOutputLength: number }, Buffer>(gunzip);

/** Caps on one decision-log upload, on top of the 5 MiB cap on the (compressed) request body. */
export const DECISION_LOG_LIMITS = {
  /** Bytes after gzip decompression: a small compressed body can expand a thousandfold (a "zip bomb"). */
  maxDecompressedBytes: 16 * 1024 * 1024,
  /** Decisions per upload: the ledger's batch limit. */
  maxDecisions: LIMITS.maxBatchEvents,
} as const;

const JSON_TYPE = /^application\/([a-z0-9.+-]+\+)?json$/;

type Headers = Readonly<Record<string, string | string[] | undefined>>;

// OPA's decision-log upload (https://www.openpolicyagent.org/docs/management-decision-logs):
// `POST <service>/logs`, `Content-Encoding: gzip`, a JSON array with one event per decision.
// Plain JSON (no encoding) is accepted too, for tests and proxies that decompress.
export async function decodeDecisionLogBody(raw: Buffer, headers: Headers): Promise<unknown[]> {
  const type = headerValue(headers['content-type']).split(';')[0].trim().toLowerCase();
  if (type !== '' && !JSON_TYPE.test(type)) {
    throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', `content type "${type}" is not accepted; OPA sends application/json`);
  }
  const encoding = headerValue(headers['content-encoding']).trim().toLowerCase();
  let json: Buffer;
  if (encoding === 'gzip' || encoding === 'x-gzip') json = await decompress(raw);
  else if (encoding === '' || encoding === 'identity') json = raw;
  else throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', `content encoding "${encoding}" is not accepted; send gzip or plain JSON`);
  // Big integers in an input keep their digits, so its digest is the one its holder computes.
  // Nesting is checked per decision (an input too deep to digest is passed over with the
  // reason): a 400 for the whole upload would have OPA re-send it, and every decision in it,
  // forever. The parse itself is safe at any depth.
  const body = parseJsonBody(json, { parse: parseExactJson, maxDepth: Infinity });
  if (!Array.isArray(body)) {
    throw new InvalidEventError('a decision-log upload is a JSON array of decision events', [
      { path: '$', message: 'must be a JSON array of OPA decision log events' },
    ]);
  }
  if (body.length === 0) {
    throw new InvalidEventError(
      'the upload holds no decisions',
      [{ path: '$', message: 'must contain at least one decision' }],
      'EMPTY_BATCH',
    );
  }
  if (body.length > DECISION_LOG_LIMITS.maxDecisions) {
    throw new InvalidEventError(
      `an upload holds at most ${DECISION_LOG_LIMITS.maxDecisions} decisions; lower OPA's decision_logs.reporting.upload_size_limit_bytes`,
      [{ path: '$', message: `has ${body.length} decisions; the limit is ${DECISION_LOG_LIMITS.maxDecisions}` }],
      'BATCH_TOO_LARGE',
    );
  }
  return body;
}

// Decompression stops at the cap instead of allocating whatever the stream claims.
async function decompress(raw: Buffer): Promise<Buffer> {
  try {
    return await gunzipAsync(raw, { maxOutputLength: DECISION_LOG_LIMITS.maxDecompressedBytes });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HttpProblem(413, 'BATCH_TOO_LARGE', `the decompressed body exceeds ${DECISION_LOG_LIMITS.maxDecompressedBytes} bytes`);
    }
    throw new HttpProblem(400, 'INVALID_ENCODING', `the body is not valid gzip: ${(e as Error).message}`);
  }
}

function headerValue(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? '';
}
