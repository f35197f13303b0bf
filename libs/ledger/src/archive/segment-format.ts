/**
 * A sealed log segment, `evidence-ledger/log-segment/v1` (docs/archive.md): entries [from, to)
 * of one tenant's log with the signed checkpoints over them, as JSON lines. Entry and
 * checkpoint lines are exactly those of the log export (docs/log-export-format.md); the header
 * adds what a segment that does not start at entry 0 needs to be checked on its own:
 *
 *   line 1   header (below)
 *   line 2   when from > 0: the checkpoint of tree size `from` (the one the previous segment ends with)
 *   …        entries from … to−1, each checkpoint on the line after the entry that completes it
 *   last     the checkpoint of tree size `to`
 */
export const SEGMENT_FORMAT = 'evidence-ledger/log-segment/v1';

export const SEGMENT_CONTENT_TYPE = 'application/x-ndjson';

export interface SegmentHeader {
  readonly format: typeof SEGMENT_FORMAT;
  readonly tenant: string;
  /** The log's checkpoint origin (c2sp.org/tlog-checkpoint), `<origin prefix>/<tenant>`. */
  readonly origin: string;
  /** Sequence of the first entry. */
  readonly from: number;
  /** One past the last entry: the tree size of the segment's last checkpoint. */
  readonly to: number;
  /** RFC 3339 time of sealing; informational, not signed. */
  readonly sealedAt: string;
  /** The log just before entry `from`; every hash here is checked against signed data. */
  readonly start: {
    /** Base64 chain hash of entry from−1 (the genesis value when from = 0). */
    readonly chainHash: string;
    /**
     * Base64 hashes of the perfect subtrees the first `from` leaves decompose into, largest
     * first (core `frontierNodes(from)`); they fold into the root of the checkpoint at `from`
     * and let the Merkle tree be continued from entry `from` (RFC 6962 §2.1).
     */
    readonly frontier: readonly string[];
  };
  /** Base64 RFC 9162 §2.1.4 consistency proof from tree size `from` to `to` (empty when from = 0). */
  readonly consistencyProof: readonly string[];
}

/** Where a tenant's segments live in the archive. */
export function segmentPrefix(tenant: string): string {
  return `segments/${tenant}/`;
}

const SEQUENCE_DIGITS = 16;

// `segments/<tenant>/<from>-<to>.jsonl`, both zero-padded to 16 digits (every safe integer),
// so keys sort in log order.
export function segmentKey(tenant: string, from: number, to: number): string {
  return `${segmentPrefix(tenant)}${pad(from)}-${pad(to)}.jsonl`;
}

/**
 * The write-once record deciding where the segment starting at `from` ends, written before
 * the segment itself under `claims/segments/<tenant>/<from>.json`, so that racing seals can
 * never archive two overlapping segments.
 */
export interface SegmentClaim {
  readonly format: typeof SEGMENT_CLAIM_FORMAT;
  readonly tenant: string;
  readonly from: number;
  readonly to: number;
}

export const SEGMENT_CLAIM_FORMAT = 'evidence-ledger/segment-claim/v1';

export function segmentClaimKey(tenant: string, from: number): string {
  return `claims/segments/${tenant}/${pad(from)}.json`;
}

/** What a segment key says; undefined for a key that is not a segment's. */
export interface SegmentRef {
  readonly key: string;
  readonly tenant: string;
  readonly from: number;
  readonly to: number;
}

const KEY = /^segments\/([a-z0-9-]{1,63})\/(\d{16})-(\d{16})\.jsonl$/;

export function parseSegmentKey(key: string): SegmentRef | undefined {
  const m = KEY.exec(key);
  if (!m) return undefined;
  const from = Number(m[2]);
  const to = Number(m[3]);
  if (!Number.isSafeInteger(to) || from >= to) return undefined;
  return { key, tenant: m[1], from, to };
}

function pad(n: number): string {
  return String(n).padStart(SEQUENCE_DIGITS, '0');
}
