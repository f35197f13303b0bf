/**
 * The offline change bundle, `evidence-ledger/change-bundle/v1` (docs/forensics.md): a
 * directory an investigator hands over, verified with `evidence-ledger verify <dir>` and
 * the ledger's public key alone.
 *
 *   manifest.json    what the bundle is (change, point, checkpoint) and the SHA-256 of every other file
 *   checkpoint       the C2SP signed note every proof leads to
 *   entries.jsonl    one line per step: the entry's exact bytes, leaf hash and RFC 9162 inclusion proof
 *   state.json       the change's state at the point (RFC 8785 JSON), recomputed from the entries on verification
 *   exceptions.json  the control exceptions the service reported up to the point (informational)
 *   timeline.txt     the timeline as printed when the bundle was written
 */
export const BUNDLE_FORMAT = 'evidence-ledger/change-bundle/v1';

export const BUNDLE_FILES = {
  manifest: 'manifest.json',
  checkpoint: 'checkpoint',
  entries: 'entries.jsonl',
  state: 'state.json',
  exceptions: 'exceptions.json',
  timeline: 'timeline.txt',
} as const;

export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly changeId: string;
  readonly asOf?: { readonly sequence: number } | { readonly time: string };
  readonly origin: string;
  readonly treeSize: number;
  /** Standard base64 of the checkpoint's root hash. */
  readonly rootHash: string;
  readonly steps: number;
  /** Lowercase hex SHA-256 of every other file, by name. */
  readonly files: Readonly<Record<string, string>>;
  /** When the bundle was written (informational, not covered by any signature). */
  readonly exportedAt: string;
}

/** One line of entries.jsonl; byte strings in standard base64. */
export interface BundleEntryLine {
  readonly sequence: number;
  readonly canonical: string;
  readonly leafHash: string;
  readonly proof: { readonly leafIndex: number; readonly treeSize: number; readonly hashes: readonly string[] };
}
