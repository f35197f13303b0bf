import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { InvalidEventError, LedgerError, LedgerErrorCode, LIMITS } from '@evidence-ledger/core';
import { RateLimitedProblem } from '../auth/rate-limits';
import { LEDGER_LOGGER } from '../logging/ledger-logger';
import { HttpProblem } from './http-problem';
import { Problem, PROBLEM_CONTENT_TYPE, problemType } from './problem';
import { MetricsRegistry } from '../metrics/metrics.registry';

// Domain codes → HTTP status. The one place where the domain meets HTTP: every code of the
// union must be listed, so a new code does not compile until it has a status.
const STATUS: { readonly [C in LedgerErrorCode]: number } = {
  INVALID_JSON: 400,
  INVALID_ENVELOPE: 400,
  INVALID_QUERY: 400,
  INVALID_PROOF_REQUEST: 400,
  EMPTY_BATCH: 400,
  DUPLICATE_ID_IN_BATCH: 400,
  EVENT_TOO_LARGE: 413,
  BATCH_TOO_LARGE: 413,
  ID_CONFLICT: 409,
  NOT_FOUND: 404,
  STORE_CONFLICT: 409,
  STORE_REJECTED: 422,
  STORE_UNAVAILABLE: 503,
  LEDGER_CLOSED: 503,
  STORE_CORRUPT: 500,
  PROOF_INVALID: 500,
  CHAIN_BROKEN: 500,
  NOTE_MALFORMED: 500,
  NOTE_UNVERIFIED: 500,
  NOTE_BAD_SIGNATURE: 500,
  CHECKPOINT_MALFORMED: 500,
  KEY_MALFORMED: 500,
};

// What a client is told when the fault is the server's or the store's. The error's own
// message may quote the database location or the driver and goes to the log only, under the
// problem's `errorId`.
const GENERIC_DETAIL: { readonly [C in LedgerErrorCode]?: string } = {
  STORE_UNAVAILABLE: 'the store is unavailable; nothing was written; retry later',
  STORE_REJECTED: 'the store refused a value of this request (for example a control character it cannot hold); nothing was written',
  LEDGER_CLOSED: 'the ledger is shutting down; retry against another instance',
};
const INTERNAL_DETAIL = 'the ledger could not complete the request';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

// An answer sent before the whole body arrived (401, 403, 413, 429 …): Node then discards the
// rest unread, which for a body of declared, bounded length is cheap and keeps the answer
// from being lost to a connection reset while the client is still sending. A body without a
// length, or longer than any route takes, ends the connection instead: it could be endless.
function boundedBody(request: Request): boolean {
  const declared = request.headers['content-length'];
  return declared !== undefined && Number(declared) <= LIMITS.maxBatchBytes;
}

/**
 * Turns every error into `application/problem+json` (RFC 9457); nothing else leaks. A failure
 * of the server or the store is logged with its message, code, cause chain and stack under a
 * fresh `errorId`, which the client receives in place of any driver text.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(
    private readonly metrics: MetricsRegistry,
    @Inject(LEDGER_LOGGER) private readonly logger: Logger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const url = request.originalUrl ?? request.url;
    const path = url.split('?', 1)[0];
    let problem = this.toProblem(exception, url);
    this.metrics.errors.inc({ code: problem.code });
    // A failing health check is an answer, not a failure of this request: its causes are
    // logged where they happen (the appends that failed).
    if ((problem.status >= 500 && problem.code !== 'UNHEALTHY') || problem.code === 'STORE_REJECTED') {
      problem = { ...problem, errorId: randomUUID() };
      const message = exception instanceof Error ? exception.message : String(exception);
      this.logger.error(
        { errorId: problem.errorId, code: problem.code, status: problem.status, req: { method: request.method, path }, err: exception },
        `request failed: ${message}`,
      );
    }
    if (problem.status === 503) response.setHeader('Retry-After', '1');
    if (exception instanceof RateLimitedProblem) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (!request.complete && !boundedBody(request)) response.setHeader('Connection', 'close');
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(e: unknown, instance: string): Problem & { details?: unknown } {
    if (e instanceof HttpProblem) return this.problem(e.status, e.code, e.message, instance, e.errors);
    if (e instanceof LedgerError) {
      const status = STATUS[e.code] ?? 500;
      const detail = GENERIC_DETAIL[e.code] ?? (status >= 500 ? INTERNAL_DETAIL : e.message);
      return this.problem(status, e.code, detail, instance, e instanceof InvalidEventError ? e.violations : undefined);
    }
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const body = e.getResponse();
      const message = typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : e.message;
      // Health checks (terminus) keep their per-check details, as an extension member.
      if (typeof body === 'object' && body && 'details' in body) {
        return { ...this.problem(status, 'UNHEALTHY', 'a health check failed', instance), details: (body as { details: unknown }).details };
      }
      const code = status === 404 ? 'NOT_FOUND' : status === 413 ? 'BATCH_TOO_LARGE' : status === 400 ? 'INVALID_JSON' : `HTTP_${status}`;
      return this.problem(status, code, status >= 500 ? INTERNAL_DETAIL : message, instance);
    }
    const parserError = e as { type?: string; status?: number; message?: string };
    if (parserError?.type === 'entity.too.large') return this.problem(413, 'BATCH_TOO_LARGE', 'the request body exceeds 5 MiB', instance);
    if (parserError?.type === 'entity.parse.failed')
      return this.problem(400, 'INVALID_JSON', 'the request body is not valid JSON', instance);
    return this.problem(500, 'INTERNAL', INTERNAL_DETAIL, instance);
  }

  private problem(status: number, code: string, detail: string, instance: string, errors?: Problem['errors']): Problem {
    return {
      type: problemType(code),
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      code,
      instance,
      ...(errors?.length ? { errors } : {}),
    };
  }
}
