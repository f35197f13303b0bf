import { resolve } from 'node:path';
import { Option } from 'commander';
import {
  ArchiveError,
  ArchiveStore,
  DEFAULT_ARCHIVE_DIRECTORY,
  DEFAULT_RETENTION_POLICY,
  openArchive,
  parseRetentionPolicy,
  RetentionPolicy,
  SegmentError,
} from '@evidence-ledger/archive';
import { CliError, CliErrorCode } from '../cli-error';

/** `--archive`, falling back to $LEDGER_ARCHIVE, then ./data/archive. */
export function archiveOption(): Option {
  return new Option(
    '--archive <location>',
    `where archives are: s3://bucket/prefix (S3 with Object Lock; endpoint and keys from LEDGER_S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or a directory (default ${DEFAULT_ARCHIVE_DIRECTORY})`,
  ).env('LEDGER_ARCHIVE');
}

/** `--retention`, falling back to $LEDGER_ARCHIVE_RETENTION, then one year (SOC 2). */
export function retentionOption(): Option {
  return new Option(
    '--retention <policy>',
    'frameworks and/or periods the archive must be kept for, e.g. hipaa, soc2,eu-ai-act=1y, 400d (the longest applies)',
  )
    .env('LEDGER_ARCHIVE_RETENTION')
    .default(DEFAULT_RETENTION_POLICY);
}

export function parseRetention(text: string): RetentionPolicy {
  try {
    return parseRetentionPolicy(text);
  } catch (e) {
    throw asCliError(e);
  }
}

export async function openArchiveAt(location: string | undefined): Promise<ArchiveStore> {
  try {
    // The CLI reads its own environment; the library only takes what it is given.
    return await openArchive(location, { env: process.env });
  } catch (e) {
    throw asCliError(e);
  }
}

/** The key file the ledger signs with (LEDGER_KEY_FILE), whose `.pub` archive verify trusts by default. */
export function defaultPublicKeyFile(): string {
  return `${resolve(process.env.LEDGER_KEY_FILE ?? './data/ledger.key')}.pub`;
}

const ARCHIVE_CODES: Partial<Record<ArchiveError['code'], CliErrorCode>> = {
  ARCHIVE_LOCATION_INVALID: 'USAGE',
  ARCHIVE_KEY_INVALID: 'USAGE',
  RETENTION_INVALID: 'USAGE',
  OBJECT_TOO_LARGE: 'INPUT_INVALID',
  OBJECT_EXISTS: 'INPUT_INVALID',
  ARCHIVE_CORRUPT: 'INPUT_INVALID',
};

// Archive and segment errors are the user's to fix (a bad LEDGER_ARCHIVE, an unreachable or
// unlocked bucket, wrong keys): one line, exit 2. Anything else passes through.
export function asCliError(e: unknown): unknown {
  if (e instanceof ArchiveError) return new CliError(ARCHIVE_CODES[e.code] ?? 'INPUT_UNAVAILABLE', e.message, { cause: e });
  if (e instanceof SegmentError && e.code !== 'LOG_INCONSISTENT') {
    return new CliError(e.code === 'TENANT_UNKNOWN' ? 'TENANT_UNKNOWN' : 'USAGE', e.message, { cause: e });
  }
  return e;
}
