/** One committed entry of a tenant's log, as stored. */
export interface LogEntry {
  readonly sequence: number;
  /** The RFC 8785 bytes of the entry body: exactly what was hashed. */
  readonly canonical: Buffer;
  /** RFC 6962 leaf hash of `canonical`. */
  readonly leafHash: Buffer;
  /** SHA-256(previous chain hash ‖ leafHash). */
  readonly chainHash: Buffer;
}

/** The Merkle proof of an entry against a signed checkpoint, hashes in standard base64. */
export interface ReceiptInclusionProof {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly hashes: readonly string[];
}

/**
 * What a producer gets back for each event: enough to check, with the ledger's public key
 * alone, that the event is in the log. Shape fixed by the docs/api.md and docs/log-export-format.md.
 */
export interface Receipt {
  readonly id: string;
  readonly sequence: number;
  /** Standard base64 of the RFC 6962 leaf hash. */
  readonly leafHash: string;
  /** Standard base64 of the chain hash. */
  readonly chainHash: string;
  /**
   * When the entry was committed. With its own event, the tenant (the checkpoint origin's last
   * segment), this sequence and its key id, a producer can rebuild the entry bytes and check
   * `leafHash` is really its event — no read access to the log needed.
   */
  readonly recordedAt: string;
  /** The C2SP signed-note checkpoint text the proof leads to. */
  readonly checkpoint: string;
  readonly inclusionProof: ReceiptInclusionProof;
}
