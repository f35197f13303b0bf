import { VerificationFailureCode } from '@evidence-ledger/core';

/** Why a sealed segment failed verification, on top of core's codes. */
export type SegmentFailureCode =
  | VerificationFailureCode
  /** Not a well-formed `log-segment/v1` object. */
  | 'SEGMENT_MALFORMED'
  /** Its header disagrees with its key, or with the segment before it. */
  | 'SEGMENT_MISMATCH'
  | 'SEGMENT_TRUNCATED'
  | 'SEGMENT_PROOF_INVALID';

/** The first problem found in a segment, located by line (1-based), entry and/or checkpoint. */
export interface SegmentFailure {
  readonly code: SegmentFailureCode;
  readonly message: string;
  readonly line?: number;
  readonly sequence?: number;
  readonly treeSize?: number;
}
