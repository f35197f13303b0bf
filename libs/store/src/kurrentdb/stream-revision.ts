import { StoreError } from '../store-error';

/** The client's names for stream states and read starts (its constants, as plain strings). */
export type ExpectedState = 'no_stream' | bigint;
export type ReadStart = 'start' | 'end' | bigint;

// Entry `n` of a tenant's log is the event at stream revision `n`: the log has no other
// events, and KurrentDB numbers a stream's events 0, 1, 2 … without gaps.

/**
 * What an append continuing a log of `treeSize` entries expects the stream to be: absent for
 * an empty log, else ending at revision `treeSize - 1`. KurrentDB refuses the append when the
 * stream has moved on — another instance appended first — which is what keeps every instance
 * on one chain.
 */
export function expectedStateFor(treeSize: number): ExpectedState {
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw new RangeError(`${treeSize} is not a tree size`);
  return treeSize === 0 ? 'no_stream' : BigInt(treeSize - 1);
}

/** The sequence an event's stream revision stands for; a revision past 2^53 is damage. */
export function sequenceOf(revision: bigint | number): number {
  const n = typeof revision === 'bigint' ? Number(revision) : revision;
  if (!Number.isSafeInteger(n) || n < 0 || (typeof revision === 'bigint' && BigInt(n) !== revision)) {
    throw new StoreError('STORE_CORRUPT', `stream revision ${String(revision)} is not a sequence number`);
  }
  return n;
}

/** Where a forward read of entries from `sequence` starts. */
export function readStartFor(sequence: number): ReadStart {
  return sequence === 0 ? 'start' : BigInt(sequence);
}

/**
 * Where a catch-up subscription that must deliver entries from `sequence` on starts. A
 * subscription from revision `r` delivers the events after `r`, so it starts one earlier;
 * the subscriber drops anything before `sequence` in case a server delivers `r` itself.
 */
export function subscriptionStartFor(sequence: number): ReadStart {
  return sequence === 0 ? 'start' : BigInt(sequence - 1);
}
