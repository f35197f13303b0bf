import { UUID } from '@evidence-ledger/core';
import { StoredCheckpoint, StoredEntry } from '../ledger-store';
import { StoreError } from '../store-error';

/** The columns an entry is read back from; bigint arrives as a decimal string. */
export interface EntryRecord {
  sequence: string;
  id: string;
  canonical: Buffer;
  leaf_hash: Buffer;
  chain_hash: Buffer;
  nodes: Buffer;
}

export interface CheckpointRecord {
  tree_size: string;
  root_hash: Buffer;
  note: string;
}

// pg returns bigint as text to avoid silent rounding; sequences and tree sizes stay below
// 2^53, so anything else means the table holds what no appender wrote.
export function toSafeInteger(value: string | number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new StoreError('STORE_CORRUPT', `stored integer ${String(value)} is out of range`);
  return n;
}

export const toEntry = (r: EntryRecord): StoredEntry => ({
  sequence: toSafeInteger(r.sequence),
  id: r.id,
  canonical: r.canonical,
  leafHash: r.leaf_hash,
  chainHash: r.chain_hash,
  nodes: r.nodes,
});

export const toCheckpoint = (r: CheckpointRecord): StoredCheckpoint => ({
  treeSize: toSafeInteger(r.tree_size),
  rootHash: r.root_hash,
  note: r.note,
});

// Only well-formed UUIDs can be stored; anything else is simply not found rather than a
// cast error that would abort the transaction.
export function uuidsOnly(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
}
