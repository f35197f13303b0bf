import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { LIMITS } from '@evidence-ledger/core';
import { HttpProblem } from './http-problem';
import { parseJsonBody } from './json-body';

export type RequestWithRawBody = Request & { rawBody?: Buffer };

const INGEST = /^\/v1\/(events|ingest)(\/|$|\?)/;
const OTHER_LIMIT = 64 * 1024;

// Reads every request body itself, with a hard size cap, so oversize and malformed bodies
// become problem+json like every other error (a framework body parser would answer in HTML).
// It is the last global guard: a caller is authenticated, authorized and within its rate
// limit before one byte of its body is buffered, and a refused request is answered without
// reading the body at all (see ProblemDetailsFilter for what becomes of it). A guard rather
// than an interceptor, which would run at the same point but wrap every request in an rxjs
// pipeline and an async_hooks bind (about 5% of a single-event request's CPU).
// Ingest routes keep the exact bytes (`rawBody`) for their own decoding; other routes get JSON.
@Injectable()
export class BodyReaderGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<RequestWithRawBody>();
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE') return true;
    const ingest = INGEST.test(req.originalUrl);
    const limit = ingest ? LIMITS.maxBatchBytes : OTHER_LIMIT;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) throw tooLarge(limit);
    req.rawBody = await readLimited(req, limit);
    if (!ingest) {
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]
        .trim()
        .toLowerCase();
      if (req.rawBody.length > 0 && type !== 'application/json') {
        throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json');
      }
      req.body = req.rawBody.length > 0 ? parseJsonBody(req.rawBody) : {};
    }
    return true;
  }
}

// Stops at the limit: the rest is never buffered, and an endless body's 413 closes the connection.
function readLimited(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function tooLarge(limit: number): HttpProblem {
  return new HttpProblem(413, 'BATCH_TOO_LARGE', `the request body exceeds ${limit} bytes`);
}
