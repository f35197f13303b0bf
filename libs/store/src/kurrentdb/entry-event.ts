import { randomUUID } from 'node:crypto';
import type { BinaryEventData } from '@kurrent/kurrentdb-client';
import { EntryRow, StoredCheckpoint } from '../ledger-store';
import { StoreError } from '../store-error';
import { DecodedEntry, decodeEntry, encodeEntryMetadata } from './entry-metadata';
import { sequenceOf } from './stream-revision';

/** The parts of an event read from KurrentDB that an entry is decoded from. */
export interface RecordedEntryEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint | number;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
}

/**
 * One entry as a KurrentDB event: binary data = the entry bytes, verbatim (a JSON event would
 * be re-serialized by the client, and JavaScript reorders integer-like keys, so the stored
 * bytes would no longer be the hashed bytes); type = the entry's event type; metadata as
 * `encodeEntryMetadata` lays it out, carrying the batch's checkpoint on its last entry.
 *
 * The KurrentDB event id is fresh for every append attempt, not the producer's id (which is in
 * the metadata). KurrentDB reports success without writing for an append whose event ids
 * match the events right after the expected revision — its idempotency for resent requests.
 * With ids that repeat across attempts, an append racing another one with the same ids would
 * be told "written" for events that are someone else's: two sessions would both believe
 * they extended the log at the same place, and one of them with bytes that are not there.
 */
export function toEntryEvent(row: EntryRow, checkpoint?: StoredCheckpoint, id: string = randomUUID()): BinaryEventData {
  const type = row.index.type;
  // KurrentDB reserves '$'-prefixed event types for its own events (links, stream metadata).
  if (type.length === 0 || type.startsWith('$')) throw new RangeError(`"${type}" cannot be a KurrentDB event type`);
  return {
    id,
    contentType: 'application/octet-stream',
    type,
    data: new Uint8Array(row.canonical.buffer, row.canonical.byteOffset, row.canonical.byteLength),
    metadata: encodeEntryMetadata(row, checkpoint),
  };
}

/**
 * An entry from the event KurrentDB returned. Besides the metadata checks (decodeEntry), the
 * event must be binary and of the entry's type: an event written by anything but this adapter
 * is reported as STORE_CORRUPT, never served.
 */
export function fromRecordedEvent(event: RecordedEntryEvent): DecodedEntry {
  const sequence = sequenceOf(event.revision);
  const corrupt = (why: string) =>
    new StoreError('STORE_CORRUPT', `entry ${sequence} in stream ${event.streamId} ${why}`, {
      details: { stream: event.streamId, sequence },
    });
  if (event.isJson) throw corrupt('is a JSON event, not the entry bytes');
  const decoded = decodeEntry(event.streamId, sequence, event.data, event.metadata);
  if (event.type !== decoded.index.type) throw corrupt(`has event type "${event.type}" but records a "${decoded.index.type}"`);
  return decoded;
}
