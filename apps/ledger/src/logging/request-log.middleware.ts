import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { Request, Response } from 'express';
import { Logger } from 'pino';
import { LEDGER_LOGGER } from './ledger-logger';

const QUIET = new Set(['/health', '/metrics']);

/**
 * One log line per request once its response is sent: method, path, status, duration and a
 * request id — never the body, the query string, or any header (keys and signatures stay out
 * of logs). Costs nothing beyond a level check when `info` is off. (No per-request child
 * logger and no async context: both measured at several percent of a single-event post.)
 */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  private sequence = 0;

  constructor(@Inject(LEDGER_LOGGER) private readonly logger: Logger) {}

  use(req: Request, res: Response, next: () => void): void {
    const path = req.originalUrl.split('?', 1)[0];
    if (!this.logger.isLevelEnabled('info') || QUIET.has(path)) return next();
    const started = process.hrtime.bigint();
    const id = ++this.sequence;
    res.on('finish', () => {
      const responseTimeMs = Number(process.hrtime.bigint() - started) / 1e6;
      this.logger.info({ req: { id, method: req.method, path }, res: { statusCode: res.statusCode }, responseTimeMs }, 'request completed');
    });
    next();
  }
}
