import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { InvalidEventError, LedgerError } from '@evidence-ledger/core';
import { HttpProblem } from './http-problem';
import { Problem, PROBLEM_CONTENT_TYPE, problemType } from './problem';
import { MetricsRegistry } from '../metrics/metrics.registry';

// Domain codes → HTTP status. The one place where the domain meets HTTP.
const STATUS: Record<string, number> = {
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
  STORE_UNAVAILABLE: 503,
  LEDGER_CLOSED: 503,
  STORE_CORRUPT: 500,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Turns every error into `application/problem+json` (RFC 9457); nothing else leaks. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  constructor(private readonly metrics: MetricsRegistry) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, request.originalUrl ?? request.url);
    this.metrics.errors.inc({ code: problem.code });
    if (problem.status >= 500) this.logger.error({ code: problem.code, err: exception }, problem.detail);
    if (problem.status === 503) response.setHeader('Retry-After', '1');
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(e: unknown, instance: string): Problem & { details?: unknown } {
    if (e instanceof HttpProblem) return this.problem(e.status, e.code, e.message, instance, e.errors);
    if (e instanceof LedgerError) {
      const status = STATUS[e.code] ?? (e.code.startsWith('NOTE_') || e.code.startsWith('KEY_') ? 500 : 500);
      const detail =
        status >= 500 && e.code !== 'STORE_UNAVAILABLE' && e.code !== 'LEDGER_CLOSED'
          ? 'the ledger could not complete the request'
          : e.message;
      return this.problem(status, e.code, detail, instance, e instanceof InvalidEventError ? e.violations : undefined);
    }
    if (e instanceof ThrottlerException)
      return this.problem(429, 'RATE_LIMITED', 'too many requests for this API key; slow down and retry', instance);
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const body = e.getResponse();
      const message = typeof body === 'object' && body && 'message' in body ? String((body as { message: unknown }).message) : e.message;
      // Health checks (terminus) keep their per-check details, as an extension member.
      if (typeof body === 'object' && body && 'details' in body) {
        return { ...this.problem(status, 'UNHEALTHY', 'a health check failed', instance), details: (body as { details: unknown }).details };
      }
      const code = status === 404 ? 'NOT_FOUND' : status === 413 ? 'BATCH_TOO_LARGE' : status === 400 ? 'INVALID_JSON' : `HTTP_${status}`;
      return this.problem(status, code, message, instance);
    }
    const parserError = e as { type?: string; status?: number; message?: string };
    if (parserError?.type === 'entity.too.large') return this.problem(413, 'BATCH_TOO_LARGE', 'the request body exceeds 5 MiB', instance);
    if (parserError?.type === 'entity.parse.failed')
      return this.problem(400, 'INVALID_JSON', 'the request body is not valid JSON', instance);
    return this.problem(500, 'INTERNAL', 'the ledger could not complete the request', instance);
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
