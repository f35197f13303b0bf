/**
 * The write-once record deciding where the segment starting at `from` ends, written before
 * the segment itself under `claims/segments/<tenant>/<from>.json` (`segmentClaimKey`), so
 * that racing seals can never archive two overlapping segments.
 */
export interface SegmentClaim {
  readonly format: typeof SEGMENT_CLAIM_FORMAT;
  readonly tenant: string;
  readonly from: number;
  readonly to: number;
}

export const SEGMENT_CLAIM_FORMAT = 'evidence-ledger/segment-claim/v1';
