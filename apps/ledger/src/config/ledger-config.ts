import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ArchiveLocation, parseArchiveLocation, parseRetentionPolicy, RetentionPolicy } from '@evidence-ledger/archive';

/** Everything the service reads from its environment (documented in the README). */
export interface LedgerConfig {
  readonly port: number;
  readonly host: string;
  /** `sqlite:<path>` or `postgres://…` */
  readonly store: string;
  readonly keyFile: string;
  /** Checkpoint origins are `<originPrefix>/<tenant>`; also the signing key's note name. */
  readonly originPrefix: string;
  readonly bootstrapAdminKey?: string;
  /** Requests per minute per API key; 0 turns rate limiting off. */
  readonly rateLimitPerMinute: number;
  /** Failed authentications per minute per client address before it is refused; 0 turns it off. */
  readonly authFailureLimitPerMinute: number;
  readonly logLevel: string;
  /** How long an instance's claim on an evidence pack it builds holds without renewal (docs/evidence-packs.md, "Jobs"). */
  readonly packLeaseSeconds: number;
  /** Where packs are archived (`LEDGER_ARCHIVE` with `LEDGER_S3_ENDPOINT`, `LEDGER_S3_REGION`, `LEDGER_S3_FORCE_PATH_STYLE`, `AWS_REGION`). */
  readonly archive: ArchiveLocation;
  /** `LEDGER_ARCHIVE_RETENTION`: may lengthen a pack's retention, never shorten it. */
  readonly archiveRetention?: RetentionPolicy;
  /** `LEDGER_TEMPLATES_DIR`, absolute: a customer's own evidence templates beside the built-in ones. */
  readonly templatesDir?: string;
  /** How often each tenant's log head is checked for entries other processes appended (`LEDGER_FORENSICS_POLL_MS`). */
  readonly forensicsPollMs: number;
}

/** `LEDGER_FORENSICS_POLL_MS` when unset. */
export const DEFAULT_FORENSICS_POLL_MS = 200;

export class ConfigError extends Error {}

const ORIGIN = /^[A-Za-z0-9][A-Za-z0-9.\-_/]*$/;

/** pino's levels; `silent` turns logging off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

// Reads and checks the environment once at startup; a bad value stops the service with a
// message naming the variable, before anything is opened.
export function loadLedgerConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a TCP port, got "${env.PORT}"`);
  const store = env.LEDGER_STORE?.trim() || 'sqlite:./data/ledger.db';
  const keyFile = resolve(env.LEDGER_KEY_FILE?.trim() || './data/ledger.key');
  const originPrefix = env.LEDGER_ORIGIN?.trim() || 'evidence-ledger.local';
  if (!ORIGIN.test(originPrefix) || originPrefix.includes('+')) {
    throw new ConfigError(`LEDGER_ORIGIN must look like a host name or path (no spaces or '+'), got "${originPrefix}"`);
  }
  const bootstrapAdminKey = env.LEDGER_BOOTSTRAP_ADMIN_KEY?.trim() || undefined;
  if (bootstrapAdminKey !== undefined && (bootstrapAdminKey.length < 32 || /\s/.test(bootstrapAdminKey))) {
    throw new ConfigError('LEDGER_BOOTSTRAP_ADMIN_KEY must be at least 32 characters without spaces');
  }
  const rateLimitPerMinute = Number(env.LEDGER_RATE_LIMIT ?? 120_000);
  if (!Number.isInteger(rateLimitPerMinute) || rateLimitPerMinute < 0) {
    throw new ConfigError(`LEDGER_RATE_LIMIT must be a non-negative integer (requests per minute per key), got "${env.LEDGER_RATE_LIMIT}"`);
  }
  const authFailureLimitPerMinute = Number(env.LEDGER_AUTH_FAILURE_LIMIT ?? 30);
  if (!Number.isInteger(authFailureLimitPerMinute) || authFailureLimitPerMinute < 0) {
    throw new ConfigError(
      `LEDGER_AUTH_FAILURE_LIMIT must be a non-negative integer (failed authentications per minute per address), got "${env.LEDGER_AUTH_FAILURE_LIMIT}"`,
    );
  }
  const leaseText = env.LEDGER_PACK_LEASE_SECONDS?.trim() || '30';
  const packLeaseSeconds = Number(leaseText);
  if (!/^\d+$/.test(leaseText) || packLeaseSeconds < 1 || packLeaseSeconds > 3600) {
    throw new ConfigError(`LEDGER_PACK_LEASE_SECONDS must be a whole number of seconds from 1 to 3600, got "${leaseText}"`);
  }
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const forensicsPollMs = parseForensicsPollMs(env);
  const archive = asConfigError('LEDGER_ARCHIVE', () => parseArchiveLocation(env.LEDGER_ARCHIVE, env));
  const retentionText = env.LEDGER_ARCHIVE_RETENTION?.trim();
  const archiveRetention = retentionText ? asConfigError('LEDGER_ARCHIVE_RETENTION', () => parseRetentionPolicy(retentionText)) : undefined;
  const templatesText = env.LEDGER_TEMPLATES_DIR?.trim();
  const templatesDir = templatesText ? resolve(templatesText) : undefined;
  if (templatesDir !== undefined && !statSync(templatesDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(`LEDGER_TEMPLATES_DIR must be a directory of evidence templates, got "${templatesText}" (${templatesDir})`);
  }
  return {
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    store,
    keyFile,
    originPrefix,
    bootstrapAdminKey,
    rateLimitPerMinute,
    authFailureLimitPerMinute,
    logLevel,
    packLeaseSeconds,
    archive,
    ...(archiveRetention ? { archiveRetention } : {}),
    ...(templatesDir ? { templatesDir } : {}),
    forensicsPollMs,
  };
}

// The archive's own parsers word their refusals well; at start they are configuration errors
// like any other, and each names the variable to fix.
function asConfigError<T>(variable: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    const message = (e as Error).message;
    throw new ConfigError(/\b(LEDGER|AWS)_[A-Z0-9_]+\b/.test(message) ? message : `${variable}: ${message}`);
  }
}

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');

// `LEDGER_PROJECTION_POLL_MS` is the setting's first name: still read, and refused only when it
// disagrees with `LEDGER_FORENSICS_POLL_MS`.
function parseForensicsPollMs(env: NodeJS.ProcessEnv): number {
  const current = env.LEDGER_FORENSICS_POLL_MS?.trim();
  const former = env.LEDGER_PROJECTION_POLL_MS?.trim();
  if (current && former && current !== former) {
    throw new ConfigError(
      `LEDGER_FORENSICS_POLL_MS ("${current}") and its former name LEDGER_PROJECTION_POLL_MS ("${former}") disagree; set one`,
    );
  }
  const name = current || !former ? 'LEDGER_FORENSICS_POLL_MS' : 'LEDGER_PROJECTION_POLL_MS';
  const text = current || former;
  const ms = text ? Number(text) : DEFAULT_FORENSICS_POLL_MS;
  if (!Number.isInteger(ms) || ms < 10 || ms > 60_000) throw new ConfigError(`${name} must be an integer from 10 to 60000, got "${text}"`);
  return ms;
}
