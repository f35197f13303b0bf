import {
  DumpedRow,
  ForensicsSourceEntry,
  ForensicsStore,
  ForensicsTransaction,
  ForensicsRow,
  ForensicsSchema,
  RowPage,
  RowQuery,
} from '../forensics-store';

/** Reads `limit` committed entries of a tenant's log from sequence `from` on. */
export type LogEntrySource = (tenant: string, from: number, limit: number) => Promise<ForensicsSourceEntry[]>;

/**
 * Forensics tables for a ledger kept in KurrentDB: rows, positions and the forensics lock live in
 * the companion SQLite or PostgreSQL store (KurrentDB has no tables to put them in), while the
 * entries a forensics transaction reads come from the KurrentDB log. A position still moves
 * only with its rows — both in one companion transaction — and the entries it counts are
 * immutable once committed, so a crash neither skips an entry nor applies one twice.
 */
export class KurrentDbForensicsStore implements ForensicsStore {
  readonly kind = 'kurrentdb';

  constructor(
    private readonly tables: ForensicsStore,
    private readonly log: LogEntrySource,
  ) {}

  migrate(schema: ForensicsSchema): Promise<void> {
    return this.tables.migrate(schema);
  }

  reset(tenant?: string): Promise<void> {
    return this.tables.reset(tenant);
  }

  withTransaction<T>(tenant: string, work: (tx: ForensicsTransaction) => Promise<T>): Promise<T> {
    return this.tables.withTransaction(tenant, (tx) =>
      work({
        positions: () => tx.positions(),
        readEntries: (from, limit) => this.log(tenant, from, limit),
        readRows: (table, keys) => tx.readRows(table, keys),
        write: (writes) => tx.write(writes),
      }),
    );
  }

  positions(tenant: string): Promise<Readonly<Record<string, number>>> {
    return this.tables.positions(tenant);
  }

  readRows(tenant: string, table: string, keys: readonly string[]): Promise<ForensicsRow[]> {
    return this.tables.readRows(tenant, table, keys);
  }

  select(tenant: string, table: string, query: RowQuery): Promise<RowPage> {
    return this.tables.select(tenant, table, query);
  }

  dump(tenant: string): AsyncIterable<DumpedRow> {
    return this.tables.dump(tenant);
  }
}
