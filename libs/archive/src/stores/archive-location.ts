import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArchiveError } from './archive-error';
import { assertArchiveKey } from './archive-key';

/** Where archives go when `LEDGER_ARCHIVE` is not set. */
export const DEFAULT_ARCHIVE_DIRECTORY = './data/archive';

export type ArchiveLocation = DiskArchiveLocation | S3ArchiveLocation;

export interface DiskArchiveLocation {
  readonly kind: 'disk';
  /** Absolute directory. */
  readonly directory: string;
}

export interface S3ArchiveLocation {
  readonly kind: 's3';
  readonly bucket: string;
  /** Key prefix inside the bucket, without leading or trailing '/'; '' for none. */
  readonly prefix: string;
  /** An S3-compatible endpoint (radosgw, MinIO, …); AWS when absent. */
  readonly endpoint?: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
}

/** The environment variables read besides `LEDGER_ARCHIVE` (credentials come from the AWS SDK's chain). */
export interface ArchiveEnvironment {
  readonly LEDGER_S3_ENDPOINT?: string;
  readonly LEDGER_S3_REGION?: string;
  readonly LEDGER_S3_FORCE_PATH_STYLE?: string;
  readonly AWS_REGION?: string;
}

// S3 bucket naming rules (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
// 3–63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit,
// no '..', not shaped like an IP address.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

// Parses `LEDGER_ARCHIVE`: `s3://bucket[/prefix]` (endpoint and region from the environment,
// credentials from the AWS SDK's default chain), `file:///absolute/dir`, or a directory path.
// Empty or unset means ./data/archive. Anything it cannot use exactly as written is refused.
export function parseArchiveLocation(value: string | undefined, env: ArchiveEnvironment, cwd = process.cwd()): ArchiveLocation {
  const text = (value ?? '').trim();
  if (text === '') return { kind: 'disk', directory: resolve(cwd, DEFAULT_ARCHIVE_DIRECTORY) };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
  if (scheme === 's3') return parseS3(text, env);
  if (scheme === 'file') return parseFileUrl(text);
  if (scheme !== undefined && scheme.length > 1) {
    throw invalid(text, `unknown scheme "${scheme}:"; use s3://bucket/prefix, file:///directory or a directory path`);
  }
  if (text.includes('\0')) throw invalid(text, 'it contains a NUL character');
  return { kind: 'disk', directory: resolve(cwd, text) };
}

function parseS3(text: string, env: ArchiveEnvironment): S3ArchiveLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(text, 'it is not a URL; use s3://bucket/prefix');
  }
  if (url.username || url.password) {
    throw invalid(
      redact(text),
      'credentials do not belong in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile)',
    );
  }
  if (url.port) throw invalid(text, 'an s3:// URL names a bucket, not a host and port; set LEDGER_S3_ENDPOINT for the server');
  if (url.search || url.hash) throw invalid(text, 'query strings and fragments are not supported');
  // Bucket and prefix from the raw text, not the parsed URL: URL parsing would lowercase the
  // bucket and silently resolve '..' and '%2e%2e' in the path.
  const rest = /^s3:\/\/(.*)$/i.exec(text)?.[1];
  if (rest === undefined) throw invalid(text, 'use s3://bucket/prefix');
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (!bucket) throw invalid(text, 'it names no bucket; use s3://bucket/prefix');
  if (!BUCKET.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    throw invalid(text, `"${bucket}" is not a valid S3 bucket name (3–63 lowercase letters, digits, '.' and '-')`);
  }
  const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/$/, '');
  if (prefix !== '') {
    try {
      assertArchiveKey(prefix, 'prefix');
    } catch (e) {
      throw invalid(text, (e as Error).message);
    }
  }
  const endpoint = env.LEDGER_S3_ENDPOINT?.trim() || undefined;
  if (endpoint !== undefined) assertEndpoint(endpoint);
  const forcePathStyle = parseBoolean(env.LEDGER_S3_FORCE_PATH_STYLE, endpoint !== undefined, 'LEDGER_S3_FORCE_PATH_STYLE');
  const region = env.LEDGER_S3_REGION?.trim() || env.AWS_REGION?.trim() || 'us-east-1';
  return { kind: 's3', bucket, prefix, endpoint, region, forcePathStyle };
}

function parseFileUrl(text: string): DiskArchiveLocation {
  let directory: string;
  try {
    directory = fileURLToPath(text);
  } catch (e) {
    throw invalid(text, `${(e as Error).message}; use file:///absolute/directory`);
  }
  if (!isAbsolute(directory)) throw invalid(text, 'a file: URL must name an absolute directory');
  return { kind: 'disk', directory: resolve(directory) };
}

function assertEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ArchiveError('ARCHIVE_LOCATION_INVALID', `LEDGER_S3_ENDPOINT "${endpoint}" is not a URL, e.g. http://127.0.0.1:17480`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ArchiveError('ARCHIVE_LOCATION_INVALID', `LEDGER_S3_ENDPOINT "${redact(endpoint)}" must be an http:// or https:// URL`);
  }
  if (url.username || url.password) {
    throw new ArchiveError(
      'ARCHIVE_LOCATION_INVALID',
      'LEDGER_S3_ENDPOINT must not carry credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
  }
}

function parseBoolean(value: string | undefined, fallback: boolean, name: string): boolean {
  const v = value?.trim().toLowerCase();
  if (v === undefined || v === '') return fallback;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new ArchiveError('ARCHIVE_LOCATION_INVALID', `${name} must be true or false, not "${value}"`);
}

/** The location as shown to people: never with credentials. */
export function describeArchiveLocation(location: ArchiveLocation): string {
  if (location.kind === 'disk') return location.directory;
  const where = `s3://${location.bucket}${location.prefix ? `/${location.prefix}` : ''}`;
  return location.endpoint ? `${where} at ${location.endpoint}` : where;
}

function redact(text: string): string {
  return text.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

function invalid(text: string, reason: string): ArchiveError {
  return new ArchiveError('ARCHIVE_LOCATION_INVALID', `LEDGER_ARCHIVE "${text}" cannot be used: ${reason}`, {
    details: { location: text },
  });
}
