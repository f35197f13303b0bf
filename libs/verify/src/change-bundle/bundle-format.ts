import { AsOf } from '@evidence-ledger/core';

/**
 * The offline change bundle, `evidence-ledger/change-bundle/v2` (docs/forensics.md): a
 * directory an investigator hands over, verified with `evidence-ledger verify <dir>` and
 * the ledger's public key alone.
 *
 *   manifest.json    what the bundle is (change, point, checkpoint) and the SHA-256 of every other file
 *   checkpoint       the C2SP signed note every proof leads to
 *   entries.jsonl    one line per step: both its clocks, the entry's exact bytes, leaf hash and RFC 9162 inclusion proof
 *   state.json       the change's state at the point (RFC 8785 JSON), recomputed from the entries on verification
 *   exceptions.json  the control exceptions the service reported up to the point (informational)
 *   timeline.txt     the timeline as printed when the bundle was written
 */
export const BUNDLE_FORMAT = 'evidence-ledger/change-bundle/v2';

/**
 * Bundles written before both clocks were carried: their state.json has no `time` members and
 * their entry lines no clocks; `verify` still checks them, comparing the state without the
 * occurred times.
 */
export const LEGACY_BUNDLE_FORMAT = 'evidence-ledger/change-bundle/v1';

export const BUNDLE_FILES = {
  manifest: 'manifest.json',
  checkpoint: 'checkpoint',
  entries: 'entries.jsonl',
  state: 'state.json',
  exceptions: 'exceptions.json',
  timeline: 'timeline.txt',
} as const;

export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT | typeof LEGACY_BUNDLE_FORMAT;
  readonly changeId: string;
  /** The point: a sequence, or a time on a named clock (`recorded` when absent, as v1 wrote it). */
  readonly asOf?: AsOf;
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
  /** The entry's `recordedAt` (recorded, the ledger's clock, proven by the log); checked against its bytes. */
  readonly recordedAt?: string;
  /** The entry's `time` (occurred, producer's clock), when the producer sent one; checked against its bytes. */
  readonly time?: string;
  readonly canonical: string;
  readonly leafHash: string;
  readonly proof: { readonly leafIndex: number; readonly treeSize: number; readonly hashes: readonly string[] };
}
