/**
 * The offline log export, `evidence-ledger/log-export/v1` (docs/log-export-format.md): JSON
 * lines, a header first, then every entry in sequence order with each signed checkpoint on
 * the line right after the entry that completes it. Nothing in it is trusted by the verifier
 * but the entry bytes and the checkpoint signatures; stored hashes are there to be compared.
 */
export const EXPORT_FORMAT = 'evidence-ledger/log-export/v1';

/** Line 1. */
export interface ExportHeader {
  readonly format: typeof EXPORT_FORMAT;
  readonly tenant: string;
  /** The log's checkpoint origin (c2sp.org/tlog-checkpoint), from its last checkpoint. */
  readonly origin: string;
  /** Entries in the file: the tree size of the last checkpoint. */
  readonly treeSize: number;
  /** RFC 3339 time the export was written (informational, not signed). */
  readonly exportedAt: string;
}

// Entry and checkpoint lines: the log's shared line format (`entryLine`, `checkpointLine`,
// `parseLogLine` in @evidence-ledger/ledger).
