/** Why the archive of a log could not be sealed or checked at all (as opposed to failing verification). */
export type SegmentErrorCode =
  /** The arguments do not name something sealable (no checkpoint at --to, behind what is sealed). */
  | 'USAGE'
  | 'TENANT_UNKNOWN'
  /** The archive holds no segment of the tenant. */
  | 'NO_SEGMENTS'
  /** The live log does not hash to its own checkpoints, or lost what the archive holds: nothing was sealed. */
  | 'LOG_INCONSISTENT';

export class SegmentError extends Error {
  constructor(
    readonly code: SegmentErrorCode,
    message: string,
    readonly details: { readonly sequence?: number; readonly cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'SegmentError';
  }
}
