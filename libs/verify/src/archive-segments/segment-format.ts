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
