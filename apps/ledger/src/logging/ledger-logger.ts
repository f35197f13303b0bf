import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** The service's one structured JSON logger (pino), configured by LOG_LEVEL. */
export const LEDGER_LOGGER = Symbol('LEDGER_LOGGER');

// `level` is one of LOG_LEVELS, checked with the rest of the configuration. An error under
// `err` is written with its type, message, code, details and stack, and its `cause` chain as
// nested errors (a StoreError's cause is the driver's error, with its SQLSTATE).
export function createLedgerLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'evidence-ledger' }, serializers: { err: pino.stdSerializers.errWithCause } }, destination);
}

const STARTUP_CHATTER = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * Nest's own messages (startup, shutdown, errors the filter logs) written through the same
 * pino logger, with Nest's context as a field.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    const { fields, text } = entry(message, params);
    // Nest's start-up inventory (every module loaded, every route mapped) is debug detail.
    if (fields.context !== undefined && STARTUP_CHATTER.has(fields.context as string)) this.logger.debug(fields, text);
    else this.logger.info(fields, text);
  }

  error(message: unknown, ...params: unknown[]): void {
    const { fields, text } = entry(message, params, true);
    this.logger.error(fields, text);
  }

  warn(message: unknown, ...params: unknown[]): void {
    const { fields, text } = entry(message, params);
    this.logger.warn(fields, text);
  }

  debug(message: unknown, ...params: unknown[]): void {
    const { fields, text } = entry(message, params);
    this.logger.debug(fields, text);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    const { fields, text } = entry(message, params);
    this.logger.trace(fields, text);
  }
}

// Nest calls `logger.error(message, ...params, context)`: the message may be a string, an
// Error, or an object of fields (`{ err, code }`, as our own services log), followed by a
// string message or a stack trace, and the context last. Each becomes a pino field, so nothing
// is written as "[object Object]".
function entry(message: unknown, params: unknown[], withTrace = false): { fields: Record<string, unknown>; text: string } {
  const rest = [...params];
  const context =
    rest.length > 0 && (typeof rest[rest.length - 1] === 'string' || rest[rest.length - 1] === undefined) ? rest.pop() : undefined;
  const fields: Record<string, unknown> = { context };
  let text: string;
  if (message instanceof Error) {
    fields.err = message;
    text = message.message;
  } else if (typeof message === 'object' && message !== null) {
    Object.assign(fields, message);
    text = typeof (fields.err as Error | undefined)?.message === 'string' ? (fields.err as Error).message : '';
  } else {
    text = String(message);
  }
  const [next] = rest;
  if (typeof next === 'string') {
    // After an object of fields Nest passes our message; after a string, a stack trace.
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) text = next;
    else if (withTrace) fields.trace = next;
  } else if (next instanceof Error) fields.err = next;
  return { fields, text };
}
