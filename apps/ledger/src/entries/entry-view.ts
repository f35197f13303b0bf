import { StoredEntry } from '@evidence-ledger/store';

/** An entry as the API shows it: the exact stored bytes (base64) and, for reading, the parsed body. */
export interface EntryView {
  readonly sequence: number;
  readonly id: string;
  /** Base64 of the RFC 8785 bytes that were hashed: recompute the leaf hash from this. */
  readonly canonical: string;
  readonly leafHash: string;
  readonly chainHash: string;
  readonly entry: unknown;
}

export function toEntryView(e: StoredEntry): EntryView {
  return {
    sequence: e.sequence,
    id: e.id,
    canonical: e.canonical.toString('base64'),
    leafHash: e.leafHash.toString('base64'),
    chainHash: e.chainHash.toString('base64'),
    entry: JSON.parse(e.canonical.toString('utf8')),
  };
}
