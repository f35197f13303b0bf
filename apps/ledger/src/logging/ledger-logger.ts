import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** The service's one structured JSON logger (pino), configured by LOG_LEVEL. */
export const LEDGER_LOGGER = Symbol('LEDGER_LOGGER');

// `level` is one of LOG_LEVELS, checked with the rest of the configuration.
export function createLedgerLogger(level: string): Logger {
  return pino({ level, base: { service: 'evidence-ledger' } });
}

const STARTUP_CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * Nest's own messages (startup, shutdown, errors the filter logs) written through the same
 * pino logger, with Nest's context as a field.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    // Nest's start-up inventory (every module loaded, every route mapped) is debug detail.
    if (context !== undefined && STARTUP_CHATTER.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
