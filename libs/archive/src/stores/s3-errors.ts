import { ArchiveError, ArchiveErrorCode } from './archive-error';

/** The parts of an AWS SDK v3 error this adapter looks at. */
interface SdkError {
  readonly name?: string;
  readonly Code?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const DENIED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden', 'InvalidToken', 'ExpiredToken']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

// The system error behind a failed connection. Errors from another realm (a test VM) reach
// us re-wrapped by the SDK with only their text, so the text is searched too.
function networkCode(err: SdkError | undefined): string | undefined {
  if (err?.code && UNREACHABLE.has(err.code)) return err.code;
  return [...UNREACHABLE].find((c) => err?.message?.includes(c));
}

export function s3Status(e: unknown): number | undefined {
  return (e as SdkError)?.$metadata?.httpStatusCode;
}

export function s3Code(e: unknown): string {
  const err = e as SdkError;
  return err?.Code ?? err?.name ?? err?.code ?? 'Error';
}

export function isNotFound(e: unknown): boolean {
  const code = s3Code(e);
  return s3Status(e) === 404 || code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchBucket' || code === 'NoSuchVersion';
}

// Translates an SDK failure into an ArchiveError that says what was being done, where, and
// what to check; the SDK's error stays as `cause`.
export function s3Error(e: unknown, doing: string, where: string): ArchiveError {
  if (e instanceof ArchiveError) return e;
  const err = e as SdkError;
  const code = networkCode(err) ?? s3Code(e);
  const status = s3Status(e);
  const detail = [code, status && `HTTP ${status}`].filter(Boolean).join(', ');
  let kind: ArchiveErrorCode = 'ARCHIVE_UNAVAILABLE';
  let hint = '';
  if (DENIED.has(code) || status === 403) {
    kind = 'ARCHIVE_DENIED';
    hint = code === 'AccessDenied' ? '' : '; check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the AWS profile)';
  } else if (UNREACHABLE.has(code) || code === 'TimeoutError') {
    hint = '; is the S3 endpoint (LEDGER_S3_ENDPOINT) right and the server up?';
  } else if (code === 'CredentialsProviderError') {
    kind = 'ARCHIVE_DENIED';
    hint = '; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile)';
  }
  const text = (err?.message ?? '').replace(/^AWS SDK error wrapper for (Error: )?/, '');
  const message = text && text !== 'UnknownError' && text !== code ? `: ${text}` : '';
  return new ArchiveError(kind, `S3 ${where}: ${doing} failed (${detail})${message}${hint}`, { cause: e, details: { code, status } });
}
