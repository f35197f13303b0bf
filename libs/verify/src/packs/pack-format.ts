/**
 * The evidence pack, `evidence-ledger/evidence-pack/v1` (docs/evidence-packs.md): one zip
 * an auditor verifies offline with the ledger's public key alone.
 */
export const PACK_FORMAT = 'evidence-ledger/evidence-pack/v1';
export const RANGE_PROOF_FORMAT = 'evidence-ledger/range-proof/v1';
export const RESPONSE_PROOFS_FORMAT = 'evidence-ledger/response-proofs/v1';
export const PACK_PREDICATE_TYPE = 'https://evidence-ledger.dev/evidence-pack/v1';
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** Every file of a pack, in zip order. */
export const PACK_FILES = {
  report: 'report.pdf',
  controls: 'controls.json',
  events: 'events.jsonl',
  leafHashes: 'proofs/leaf-hashes.txt',
  range: 'proofs/range.json',
  previous: 'proofs/previous.json',
  responsesAfterPeriod: 'responses-after-period.jsonl',
  responseProofs: 'proofs/responses-after-period.json',
  checkpoint: 'checkpoint',
  oscal: 'assessment-results.json',
  manifest: 'manifest.json',
  bundle: 'manifest.sigstore.json',
} as const;

export interface PackCheckpointRef {
  readonly origin: string;
  readonly treeSize: number;
  /** Standard base64 of the root hash. */
  readonly rootHash: string;
}

/** `manifest.json`: what the pack is about and the SHA-256 of every file the bundle does not cover itself. */
export interface PackManifest {
  readonly format: typeof PACK_FORMAT;
  readonly framework: string;
  readonly tenant: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly scope: { readonly repositories: readonly string[] };
  readonly checkpoint: PackCheckpointRef;
  /** The entries carried in events.jsonl: sequences [start, end). */
  readonly entries: { readonly start: number; readonly end: number; readonly population: number };
  /** The checkpoint of the previous pack of the same framework and tenant, when there is one. */
  readonly previous: PackCheckpointRef | null;
  /** Hex SHA-256 of the SPKI DER of the key that signs the bundle and the checkpoint. */
  readonly signingKeyId: string;
  /** Lowercase hex SHA-256 of every other file, by path. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * `proofs/range.json`: proves the entries [start, end) belong to the signed tree. `prefix`
 * are the RFC 6962 frontier hashes of the tree of `start` leaves (none when start is 0);
 * appending the leaves of events.jsonl to them gives the root of the tree of `end` leaves,
 * and `consistency` is the RFC 9162 §2.1.4 proof from that tree to the checkpoint's.
 */
export interface RangeProof {
  readonly format: typeof RANGE_PROOF_FORMAT;
  readonly start: number;
  readonly end: number;
  readonly treeSize: number;
  readonly prefix: readonly string[];
  readonly consistency: readonly string[];
}

/**
 * `proofs/responses-after-period.json`: one RFC 9162 §2.1.3 inclusion proof per line of
 * `responses-after-period.jsonl` — the management responses recorded after the period, up to
 * the checkpoint — each proving that entry is leaf `sequence` of the checkpoint's tree.
 */
export interface ResponseProofs {
  readonly format: typeof RESPONSE_PROOFS_FORMAT;
  readonly treeSize: number;
  readonly proofs: readonly { readonly sequence: number; readonly hashes: readonly string[] }[];
}

/** `proofs/previous.json`: RFC 9162 consistency from the previous pack's checkpoint to this one's. */
export interface PreviousProof {
  readonly previous: PackCheckpointRef;
  readonly fromSize: number;
  readonly toSize: number;
  readonly hashes: readonly string[];
}
