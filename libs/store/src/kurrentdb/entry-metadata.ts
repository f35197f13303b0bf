import { HASH_SIZE, UUID } from '@evidence-ledger/core';
import { EntryIndex, EntryRow, StoredCheckpoint, StoredEntry } from '../ledger-store';
import { StoreError } from '../store-error';

/** The version of the metadata layout below; a reader refuses any other. */
export const METADATA_FORMAT = '1';

/**
 * An entry event's metadata: a flat JSON object of strings (docs/kurrentdb.md).
 * - `ledger`: the layout version, `METADATA_FORMAT`;
 * - `id`: the producer's event id;
 * - `leafHash`, `chainHash`: base64, 32 bytes each; `nodes`: base64 of the Merkle nodes the
 *   entry completes, levels 1..k, 32 bytes each (empty when it completes none);
 * - `type`, `source`, `subject`, `changeid`, `actorId`, `time`, `recordedAt`: the envelope
 *   attributes queries filter on, copied out of the entry — never used to verify it;
 * - on the last entry of each appended batch only: `checkpointTreeSize` (the entry's
 *   sequence + 1), `checkpointRootHash` (base64) and `checkpointNote` (the signed note).
 * The entry bytes themselves are the event's data, verbatim.
 */
export type EntryMetadata = Readonly<Record<string, string>>;

/** An entry as read back: what the port returns, what queries filter on, and its checkpoint. */
export interface DecodedEntry {
  readonly entry: StoredEntry;
  readonly index: EntryIndex;
  readonly checkpoint?: StoredCheckpoint;
}

const OPTIONAL_INDEX = ['subject', 'changeid', 'actorId', 'time'] as const;

// The metadata of one row; `checkpoint` is given for the last row of a batch.
export function encodeEntryMetadata(row: EntryRow, checkpoint?: StoredCheckpoint): EntryMetadata {
  const x = row.index;
  const metadata: Record<string, string> = {
    ledger: METADATA_FORMAT,
    id: row.id,
    leafHash: row.leafHash.toString('base64'),
    chainHash: row.chainHash.toString('base64'),
    nodes: row.nodes.toString('base64'),
    type: x.type,
    source: x.source,
    recordedAt: x.recordedAt,
  };
  for (const key of OPTIONAL_INDEX) if (x[key] !== undefined) metadata[key] = x[key];
  if (checkpoint) {
    metadata.checkpointTreeSize = String(checkpoint.treeSize);
    metadata.checkpointRootHash = checkpoint.rootHash.toString('base64');
    metadata.checkpointNote = checkpoint.note;
  }
  return metadata;
}

/**
 * Reads an entry back from the event at stream revision `sequence`: its data (the entry
 * bytes) and its metadata as the client parsed it. Anything that is not exactly what
 * `encodeEntryMetadata` writes is STORE_CORRUPT — an entry is never half-read.
 */
export function decodeEntry(stream: string, sequence: number, data: unknown, metadata: unknown): DecodedEntry {
  const corrupt = (why: string) =>
    new StoreError('STORE_CORRUPT', `entry ${sequence} in stream ${stream} ${why}`, { details: { stream, sequence } });
  if (!(data instanceof Uint8Array)) throw corrupt('does not hold the entry bytes as binary data');
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata) || metadata instanceof Uint8Array) {
    throw corrupt('has no ledger metadata object');
  }
  const m = metadata as Record<string, unknown>;
  if (m.ledger !== METADATA_FORMAT) throw corrupt(`has metadata of an unknown layout (${JSON.stringify(m.ledger)})`);
  const text = (key: string, required: boolean): string | undefined => {
    const value = m[key];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || (required && value.length === 0)) throw corrupt(`has no valid "${key}" in its metadata`);
    return value;
  };
  const bytes = (key: string, size?: number): Buffer => {
    const value = text(key, false) ?? '';
    const decoded = Buffer.from(value, 'base64');
    const wellFormed = decoded.toString('base64') === value;
    if (!wellFormed || (size !== undefined ? decoded.length !== size : decoded.length % HASH_SIZE !== 0)) {
      throw corrupt(`has a malformed "${key}" in its metadata`);
    }
    return decoded;
  };

  const id = text('id', true) as string;
  if (!UUID.test(id)) throw corrupt('has an event id that is not a UUID');
  const entry: StoredEntry = {
    sequence,
    id,
    canonical: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    leafHash: bytes('leafHash', HASH_SIZE),
    chainHash: bytes('chainHash', HASH_SIZE),
    nodes: bytes('nodes'),
  };
  const index: EntryIndex = {
    type: text('type', true) as string,
    source: text('source', true) as string,
    subject: text('subject', false),
    changeid: text('changeid', false),
    actorId: text('actorId', false),
    time: text('time', false),
    recordedAt: text('recordedAt', true) as string,
  };

  const marked = ['checkpointTreeSize', 'checkpointRootHash', 'checkpointNote'].filter((k) => m[k] !== undefined);
  if (marked.length === 0) return { entry, index };
  if (marked.length !== 3) throw corrupt('has an incomplete checkpoint in its metadata');
  if (text('checkpointTreeSize', true) !== String(sequence + 1)) throw corrupt('has a checkpoint for another tree size');
  const checkpoint: StoredCheckpoint = {
    treeSize: sequence + 1,
    rootHash: bytes('checkpointRootHash', HASH_SIZE),
    note: text('checkpointNote', true) as string,
  };
  return { entry, index, checkpoint };
}
