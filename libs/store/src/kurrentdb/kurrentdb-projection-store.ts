import {
  DumpedRow,
  ProjectionSourceEntry,
  ProjectionStore,
  ProjectionTransaction,
  ReadModelRow,
  ReadModelSchema,
  RowPage,
  RowQuery,
} from '../projection-store';

/** Reads `limit` committed entries of a tenant's log from sequence `from` on. */
export type LogEntrySource = (tenant: string, from: number, limit: number) => Promise<ProjectionSourceEntry[]>;

/**
 * Read models for a ledger kept in KurrentDB: rows, positions and the projection lock live in
 * the companion SQLite or PostgreSQL store (KurrentDB has no tables to put them in), while the
 * entries a projection transaction reads come from the KurrentDB log. A position still moves
 * only with its rows — both in one companion transaction — and the entries it counts are
 * immutable once committed, so a crash neither skips an entry nor applies one twice.
 */
export class KurrentDbProjectionStore implements ProjectionStore {
  readonly kind = 'kurrentdb';

  constructor(
    private readonly models: ProjectionStore,
    private readonly log: LogEntrySource,
  ) {}

  migrate(schema: ReadModelSchema): Promise<void> {
    return this.models.migrate(schema);
  }

  reset(tenant?: string): Promise<void> {
    return this.models.reset(tenant);
  }

  withTransaction<T>(tenant: string, work: (tx: ProjectionTransaction) => Promise<T>): Promise<T> {
    return this.models.withTransaction(tenant, (tx) =>
      work({
        positions: () => tx.positions(),
        readEntries: (from, limit) => this.log(tenant, from, limit),
        readRows: (table, keys) => tx.readRows(table, keys),
        write: (writes) => tx.write(writes),
      }),
    );
  }

  positions(tenant: string): Promise<Readonly<Record<string, number>>> {
    return this.models.positions(tenant);
  }

  readRows(tenant: string, table: string, keys: readonly string[]): Promise<ReadModelRow[]> {
    return this.models.readRows(tenant, table, keys);
  }

  select(tenant: string, table: string, query: RowQuery): Promise<RowPage> {
    return this.models.select(tenant, table, query);
  }

  dump(tenant: string): AsyncIterable<DumpedRow> {
    return this.models.dump(tenant);
  }
}
