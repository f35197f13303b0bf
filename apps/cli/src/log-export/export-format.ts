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

/** An entry line; all byte strings are standard base64 (RFC 4648 §4). */
export interface ExportEntryLine {
  readonly sequence: number;
  /** The exact stored RFC 8785 bytes of the entry, the bytes that were hashed. */
  readonly canonical: string;
  /** RFC 6962 leaf hash as stored: SHA-256(0x00 ‖ bytes). */
  readonly leafHash: string;
  /** Chain hash as stored: SHA-256(previous chain hash ‖ leaf hash). */
  readonly chainHash: string;
}

/** A checkpoint line: the C2SP signed note, verbatim. */
export interface ExportCheckpointLine {
  readonly checkpoint: string;
}

export function entryLine(e: { sequence: number; canonical: Buffer; leafHash: Buffer; chainHash: Buffer }): string {
  const line: ExportEntryLine = {
    sequence: e.sequence,
    canonical: e.canonical.toString('base64'),
    leafHash: e.leafHash.toString('base64'),
    chainHash: e.chainHash.toString('base64'),
  };
  return JSON.stringify(line);
}

export function checkpointLine(note: string): string {
  const line: ExportCheckpointLine = { checkpoint: note };
  return JSON.stringify(line);
}
