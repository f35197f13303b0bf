import { LogEntry, NodeRef } from '@evidence-ledger/core';
import type { EntryPage, EntryQuery } from './entry-query';

/**
 * The LedgerStore port: everything the ledger needs from a database, and nothing more.
 * One adapter per driver (sqlite/, postgres/, …) implements it and translates driver errors
 * into `StoreError`s; every adapter runs the same contract suite (testing/).
 *
 * Storage layout every adapter follows (docs/architecture.md):
 * - one log per tenant, entries keyed by (log, sequence), unique by (log, event id);
 * - the Merkle nodes a leaf completes (levels 1..k, see core `completedLevels`) are stored
 *   in that leaf's row, concatenated lowest level first, so any node is one primary-key read
 *   and a proof costs O(log n) reads in one round trip;
 * - one signed checkpoint per committed batch;
 * - a head row per log (tree size + last chain hash) that serializes appenders.
 */
export interface LedgerStore {
  /** `sqlite`, `postgres`, … — for logs and metrics. */
  readonly kind: string;
  /** Human-readable location without credentials. */
  readonly location: string;

  /** Creates or upgrades the schema. Safe to call from several processes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * Runs `work` holding the tenant's append lock inside one transaction: commits when it
   * resolves, rolls back when it throws. Several processes sharing one database are
   * serialized per tenant here, which is what keeps the chain linear. An adapter with
   * optimistic concurrency (KurrentDB) may run `work` again on a fresher head after losing a
   * race, so `work` must act on the log only through its session.
   */
  withAppendSession<T>(tenant: string, work: (session: AppendSession) => Promise<T>, intent?: AppendIntent): Promise<T>;

  head(tenant: string): Promise<LogHead>;
  /** Tenants that have a log or were registered (CredentialStore.createTenant), sorted. */
  tenants(): Promise<string[]>;
  getEntry(tenant: string, sequence: number): Promise<StoredEntry | undefined>;
  findByIds(tenant: string, ids: readonly string[]): Promise<StoredEntry[]>;
  /** Entries [from, to) in sequence order, read page by page (never the whole log). */
  readEntries(tenant: string, from: number, to?: number): AsyncIterable<StoredEntry>;
  /**
   * One page of the tenant's entries matching every filter of `query`, in sequence order
   * (keyset pagination, never OFFSET). INVALID_QUERY for a limit outside 1..1000, a negative
   * cursor or a time bound that is not RFC 3339; an unknown tenant has no entries.
   * A changeid filter reads its index; every other filter is checked while walking the log
   * in sequence order from the cursor, so a page costs the entries walked to fill it (indexes
   * on type and actor measured 10–20% each off PostgreSQL ingest, so there are none).
   */
  queryEntries(tenant: string, query: EntryQuery): Promise<EntryPage>;
  /** Perfect-subtree hashes by node; throws STORE_CORRUPT when a node is absent. */
  readNodes(tenant: string, nodes: readonly NodeRef[]): Promise<NodeHashes>;
  latestCheckpoint(tenant: string): Promise<StoredCheckpoint | undefined>;
  checkpointAt(tenant: string, treeSize: number): Promise<StoredCheckpoint | undefined>;
  /** Checkpoints with treeSize > `after`, ascending. */
  readCheckpoints(tenant: string, after?: number): AsyncIterable<StoredCheckpoint>;
}

/**
 * What the appender already knows when it asks for the lock. A networked store may look the
 * event ids up in the same round trip that takes the lock; `findByIds` for these ids then
 * costs nothing. Purely an optimization: the session answers the same either way.
 */
export interface AppendIntent {
  readonly ids?: readonly string[];
}

/** What the appender sees while it holds a tenant's lock. */
export interface AppendSession {
  head(): Promise<LogHead>;
  /** Entries of the given event ids already in the log (a retried post, or a conflict). */
  findByIds(ids: readonly string[]): Promise<StoredEntry[]>;
  readNodes(nodes: readonly NodeRef[]): Promise<NodeHashes>;
  /** Writes the batch, its checkpoint and the new head. Rows must continue the head. */
  append(rows: readonly EntryRow[], checkpoint: StoredCheckpoint, head: LogHead): Promise<void>;
}

/** The end of a log: its size and the chain hash of its last entry (genesis when empty). */
export interface LogHead {
  readonly treeSize: number;
  readonly chainHash: Buffer;
}

/** One row as the appender writes it. */
export interface EntryRow extends LogEntry {
  readonly id: string;
  /** Hashes of the nodes this leaf completes, levels 1..k, 32 bytes each. */
  readonly nodes: Buffer;
  /** Envelope attributes copied out of `canonical` for filtering; never used to verify. */
  readonly index: EntryIndex;
}

export interface EntryIndex {
  readonly type: string;
  readonly source: string;
  readonly subject?: string;
  readonly changeid?: string;
  readonly actorId?: string;
  readonly time?: string;
  /** The sequencer's clock as `Date#toISOString()`; SQLite compares this text in time filters. */
  readonly recordedAt: string;
}

export interface StoredEntry extends LogEntry {
  readonly id: string;
  readonly nodes: Buffer;
}

export interface StoredCheckpoint {
  readonly treeSize: number;
  readonly rootHash: Buffer;
  /** The C2SP signed note, verbatim. */
  readonly note: string;
}

/** Node hashes keyed by `${level}/${index}`. */
export type NodeHashes = ReadonlyMap<string, Buffer>;

export const nodeKey = (n: NodeRef): string => `${n.level}/${n.index}`;
