import { StoreError } from '../store-error';
import { SerialQueue } from '../serial-queue';

/** Reads the (sequence, id) of entries [from, to) of the log, in order. */
export type IdSource = (from: number, to: number) => AsyncIterable<{ readonly sequence: number; readonly id: string }>;

/**
 * Event id → sequence for one tenant's log, held in this process and brought up to a given
 * tree size by reading the entries it has not seen yet. KurrentDB can look an event up by
 * stream and revision only, so this is how `findByIds` answers without a scan per lookup:
 * the first lookup in a process reads the whole log once (O(n) reads, ~100 bytes of memory per
 * entry), every later one reads only what other instances appended since (docs/kurrentdb.md).
 * Exact at the tree size it was brought to — which the append session pins with its expected
 * revision, so an id can never be taken twice.
 */
export class EventIdIndex {
  private readonly sequences = new Map<string, number>();
  private size = 0;
  private readonly catchUps = new SerialQueue();

  /** Entries [0, size) are indexed. */
  get indexedSize(): number {
    return this.size;
  }

  /** Indexes entries up to `treeSize`; concurrent callers share one reader. */
  catchUp(treeSize: number, source: IdSource): Promise<void> {
    if (treeSize <= this.size) return Promise.resolve();
    return this.catchUps.run(async () => {
      if (treeSize <= this.size) return; // another caller went as far while this one waited
      for await (const { sequence, id } of source(this.size, treeSize)) {
        if (sequence !== this.size)
          throw new StoreError('STORE_CORRUPT', `entry ${this.size} is missing from the log`, { details: { sequence: this.size } });
        this.add(id, sequence);
      }
      if (this.size < treeSize)
        throw new StoreError('STORE_CORRUPT', `entry ${this.size} is missing from the log`, { details: { sequence: this.size } });
    });
  }

  /**
   * Records entries this process has just committed, when they continue what is indexed;
   * otherwise the next catch-up reads them like anyone else's.
   */
  addCommitted(rows: readonly { readonly sequence: number; readonly id: string }[]): Promise<void> {
    // Queued behind any catch-up in progress, which may be reading these very entries.
    return this.catchUps.run(async () => {
      if (rows.length === 0 || rows[0].sequence !== this.size) return;
      for (const r of rows) this.add(r.id, r.sequence);
    });
  }

  /** Sequences of the ids that are in the indexed part of the log (ids compared case-insensitively). */
  lookup(ids: readonly string[]): Map<string, number> {
    const found = new Map<string, number>();
    for (const id of ids) {
      const sequence = this.sequences.get(id.toLowerCase());
      if (sequence !== undefined) found.set(id, sequence);
    }
    return found;
  }

  private add(id: string, sequence: number): void {
    const key = id.toLowerCase();
    const prior = this.sequences.get(key);
    if (prior !== undefined) {
      throw new StoreError('STORE_CORRUPT', `event id ${id} is recorded twice, at ${prior} and ${sequence}`, { details: { sequence } });
    }
    this.sequences.set(key, sequence);
    this.size = sequence + 1;
  }
}
