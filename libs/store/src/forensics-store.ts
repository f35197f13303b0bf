import { LedgerStore } from './ledger-store';
import { StoreError } from './store-error';

/**
 * The ForensicsStore port: the forensics tables and how far each tenant's are through its
 * log (a position per writer), in the same database as the log (docs/forensics.md).
 *
 * Forensics tables are disposable — everything in them is derived from the log — so they have
 * their own schema track, separate from the log's migrations: the tables are described by
 * whoever fills them (`ForensicsSchema`), and when that description changes the tables are
 * dropped, recreated empty, and refilled from the log.
 *
 * Every forensics table has the same fixed columns — `tenant`, `key` (unique per tenant),
 * `ord` (the integer a listing is ordered and paged by), `doc` (the row's canonical JSON) —
 * plus the filter columns its description names. A writer's rows and its position move
 * together, in one transaction (`withTransaction`). The stored names (`rm_<table>`,
 * `projection_schema`, `projection_positions`) are those of the first release, so existing
 * databases keep working.
 */
export interface ForensicsStore {
  /** `sqlite`, `postgres`, … */
  readonly kind: string;

  /**
   * Creates the tables `schema` describes. When the tables in the database were made from a
   * different description, drops them (and every position) first. Safe to call from several
   * processes at once.
   */
  migrate(schema: ForensicsSchema): Promise<void>;

  /**
   * Empties forensics tables so they are rebuilt from the log: without a tenant, drops and
   * recreates every forensics table and forgets every position; with one, deletes that
   * tenant's rows and positions only.
   */
  reset(tenant?: string): Promise<void>;

  /**
   * Runs `work` in one transaction that holds the tenant's forensics lock: commits when it
   * resolves, rolls back when it throws. Throws STORE_CONFLICT without running `work` when
   * another process holds the lock (it is projecting the same tenant; try again later).
   */
  withTransaction<T>(tenant: string, work: (tx: ForensicsTransaction) => Promise<T>): Promise<T>;

  /** Every position stored for the tenant, by writer: the number of log entries it has applied. */
  positions(tenant: string): Promise<Readonly<Record<string, number>>>;
  readRows(tenant: string, table: string, keys: readonly string[]): Promise<ForensicsRow[]>;
  /** One page of a table, filtered, in `ord` order (keyset pagination on `ord`). */
  select(tenant: string, table: string, query: RowQuery): Promise<RowPage>;
  /** Every row of the tenant, table by table in name order, rows in key order (byte order). */
  dump(tenant: string): AsyncIterable<DumpedRow>;
}

/** What a writer of the forensics tables sees and does inside its transaction. */
export interface ForensicsTransaction {
  /** Positions as committed, read under the tenant's forensics lock. */
  positions(): Promise<Record<string, number>>;
  /** Committed log entries with sequence ≥ `from`, ascending, at most `limit`. */
  readEntries(from: number, limit: number): Promise<ForensicsSourceEntry[]>;
  readRows(table: string, keys: readonly string[]): Promise<ForensicsRow[]>;
  /** Inserts or replaces rows (by tenant and key) and sets positions. */
  write(writes: ForensicsWrites): Promise<void>;
}

/** A log entry as the forensics tables are filled from it: its position and the exact bytes that were hashed. */
export interface ForensicsSourceEntry {
  readonly sequence: number;
  readonly canonical: Buffer;
}

export type ForensicsColumnType = 'text' | 'integer';

export interface ForensicsColumn {
  /** Lowercase `a-z0-9_`, not one of the fixed column names. */
  readonly name: string;
  readonly type: ForensicsColumnType;
}

export interface ForensicsTable {
  /** Lowercase `a-z0-9_`; stored as `rm_<name>`. */
  readonly name: string;
  /** Filterable columns besides the fixed ones; every one may be null. */
  readonly columns: readonly ForensicsColumn[];
  /** Secondary indexes, each a list of filter columns; `ord` is appended to each. */
  readonly indexes: readonly (readonly string[])[];
  /**
   * Whether the table is listed whole in `ord` order (an index on tenant and ord); default
   * true. A table only ever read through a filter index (a timeline, by change) saves it.
   */
  readonly listed?: boolean;
}

export interface ForensicsSchema {
  readonly tables: readonly ForensicsTable[];
}

export type ColumnValue = string | number | null;

export interface ForensicsRow {
  readonly key: string;
  /** Safe integer. */
  readonly ord: number;
  /** Values of the table's filter columns; a missing column is null. */
  readonly columns: Readonly<Record<string, ColumnValue>>;
  /** The row's document, canonical JSON (stored and returned verbatim). */
  readonly doc: string;
}

export interface RowUpsert {
  readonly table: string;
  readonly row: ForensicsRow;
}

export interface ForensicsWrites {
  readonly upserts: readonly RowUpsert[];
  readonly positions: Readonly<Record<string, number>>;
}

/** A bound on one column: `from` inclusive, `to` exclusive. */
export interface ColumnRange {
  readonly column: string;
  readonly from?: string | number;
  readonly to?: string | number;
}

export interface RowQuery {
  readonly equals?: Readonly<Record<string, string | number>>;
  readonly ranges?: readonly ColumnRange[];
  /** Only rows with ord > after (ascending) … */
  readonly after?: number;
  /** … or ord < before (descending). */
  readonly before?: number;
  readonly order?: 'asc' | 'desc';
  /** 1..1000 */
  readonly limit: number;
}

export interface RowPage {
  readonly rows: ForensicsRow[];
  /** The cursor for the next page (`after`, or `before` when descending); undefined at the end. */
  readonly next?: number;
}

export interface DumpedRow {
  readonly table: string;
  readonly row: ForensicsRow;
}

/** A LedgerStore whose database can also hold forensics tables. */
export interface ForensicsStoreHost {
  /** The forensics store over the same database (and, for SQLite, the same connection). */
  forensicsStore(): ForensicsStore;
}

export function hasForensicsStore(store: LedgerStore): store is LedgerStore & ForensicsStoreHost {
  return typeof (store as Partial<ForensicsStoreHost>).forensicsStore === 'function';
}

// The forensics tables of a store, or a clear error for an adapter that cannot hold them.
export function forensicsStoreOf(store: LedgerStore): ForensicsStore {
  if (!hasForensicsStore(store)) throw new StoreError('STORE_UNAVAILABLE', `the ${store.kind} store cannot hold forensics tables`);
  return store.forensicsStore();
}
