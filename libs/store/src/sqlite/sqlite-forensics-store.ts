import Database from 'better-sqlite3';
import {
  checkedSchema,
  checkedUpsert,
  planRowQuery,
  forensicsTableName,
  rowQueryConditions,
  schemaFingerprint,
  SchemaTables,
  toForensicsRow,
  toRowPage,
} from '../forensics-rules';
import {
  DumpedRow,
  ForensicsSourceEntry,
  ForensicsStore,
  ForensicsTransaction,
  ForensicsWrites,
  ForensicsRow,
  ForensicsSchema,
  ForensicsTable,
  RowPage,
  RowQuery,
} from '../forensics-store';
import { SerialQueue } from '../serial-queue';
import { StoreError } from '../store-error';
import { translateSqliteError } from './sqlite-errors';
import { StatementCache } from './statement-cache';

const DUMP_PAGE = 1000;

/**
 * Forensics tables in the ledger's SQLite file, on the ledger store's own connection: a
 * forensics transaction takes the same write queue as append sessions, so the two never
 * fight over SQLite's write lock, and the entries a transaction reads inside it are exactly
 * the committed ones (no append transaction can be open on the connection meanwhile).
 * `BEGIN IMMEDIATE` is the forensics lock across processes.
 */
export class SqliteForensicsStore implements ForensicsStore {
  readonly kind = 'sqlite';
  private tables?: SchemaTables;

  constructor(
    private readonly db: Database.Database,
    private readonly sql: StatementCache,
    private readonly writes: SerialQueue,
  ) {}

  async migrate(schema: ForensicsSchema): Promise<void> {
    const tables = new SchemaTables(checkedSchema(schema));
    const fingerprint = schemaFingerprint(schema);
    await this.transaction('setting up forensics tables', () => {
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS projection_schema (
          id          INTEGER PRIMARY KEY CHECK (id = 1),
          fingerprint TEXT    NOT NULL,
          tables      TEXT    NOT NULL
        );
        CREATE TABLE IF NOT EXISTS projection_positions (
          tenant     TEXT    NOT NULL,
          projection TEXT    NOT NULL,
          position   INTEGER NOT NULL,
          PRIMARY KEY (tenant, projection)
        ) WITHOUT ROWID;`);
      const current = this.db.prepare('SELECT fingerprint, tables FROM projection_schema WHERE id = 1').get() as
        { fingerprint: string; tables: string } | undefined;
      if (current?.fingerprint === fingerprint) return;
      this.recreate(schema, current ? (JSON.parse(current.tables) as string[]) : []);
      this.db
        .prepare(
          'INSERT INTO projection_schema (id, fingerprint, tables) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, tables = excluded.tables',
        )
        .run(fingerprint, JSON.stringify(schema.tables.map((t) => t.name)));
    });
    this.tables = tables;
  }

  async reset(tenant?: string): Promise<void> {
    const tables = this.schema();
    await this.transaction('resetting forensics tables', () => {
      if (tenant === undefined) {
        this.recreate(
          tables.schema,
          tables.schema.tables.map((t) => t.name),
        );
      } else {
        for (const t of tables.schema.tables) this.db.prepare(`DELETE FROM ${forensicsTableName(t.name)} WHERE tenant = ?`).run(tenant);
        this.db.prepare('DELETE FROM projection_positions WHERE tenant = ?').run(tenant);
      }
    });
  }

  withTransaction<T>(tenant: string, work: (tx: ForensicsTransaction) => Promise<T>): Promise<T> {
    const tables = this.schema();
    return this.writes.run(async () => {
      // Forensics tables are rebuilt from the log, so their commits skip the fsync the log's need:
      // WAL keeps each commit atomic (rows and position together), and a crash only loses
      // forensics commits that are then applied again. The next append's commit (FULL)
      // syncs the WAL, these frames included. The connection is back to FULL before any
      // other job runs on it.
      this.sql.guard('starting a forensics transaction', () => {
        this.db.pragma('synchronous = NORMAL');
        this.db.exec('BEGIN IMMEDIATE');
      });
      try {
        const result = await work(this.transactionFor(tenant, tables));
        this.sql.guard('committing forensics tables', () => this.db.exec('COMMIT'));
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw translateSqliteError(e, `projecting ${tenant}`);
      } finally {
        this.db.pragma('synchronous = FULL');
      }
    });
  }

  async positions(tenant: string): Promise<Readonly<Record<string, number>>> {
    this.schema();
    return this.readPositions(tenant);
  }

  async readRows(tenant: string, table: string, keys: readonly string[]): Promise<ForensicsRow[]> {
    return this.rowsByKey(this.schema(), tenant, table, keys);
  }

  async select(tenant: string, tableName: string, query: RowQuery): Promise<RowPage> {
    const tables = this.schema();
    const plan = planRowQuery(tables, tableName, query);
    const table = tables.get(tableName);
    const values: unknown[] = [tenant];
    const bind = (value: unknown) => {
      values.push(value);
      return '?';
    };
    const where = ['tenant = ?', ...rowQueryConditions(plan, bind)].join(' AND ');
    values.push(plan.limit + 1);
    const text = `SELECT ${columnList(table)} FROM ${forensicsTableName(table.name)} WHERE ${where} ORDER BY ord${plan.descending ? ' DESC' : ''} LIMIT ?`;
    const records = this.sql.guard('reading a forensics table', () => this.sql.get(text).all(...values) as Record<string, unknown>[]);
    return toRowPage(
      records.map((r) => toForensicsRow(table, r)),
      plan.limit,
    );
  }

  async *dump(tenant: string): AsyncIterable<DumpedRow> {
    const tables = this.schema();
    for (const table of [...tables.schema.tables].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const page = this.sql.get(
        `SELECT ${columnList(table)} FROM ${forensicsTableName(table.name)} WHERE tenant = ? AND key > ? ORDER BY key LIMIT ${DUMP_PAGE}`,
      );
      for (let after = ''; ;) {
        const records = this.sql.guard('reading a forensics table', () => page.all(tenant, after) as Record<string, unknown>[]);
        for (const r of records) yield { table: table.name, row: toForensicsRow(table, r) };
        if (records.length < DUMP_PAGE) break;
        after = String(records[records.length - 1].key);
      }
    }
  }

  private transactionFor(tenant: string, tables: SchemaTables): ForensicsTransaction {
    return {
      positions: async () => this.readPositions(tenant),
      readEntries: async (from, limit) => this.readEntries(tenant, from, limit),
      readRows: async (table, keys) => this.rowsByKey(tables, tenant, table, keys),
      write: async (writes) => this.write(tables, tenant, writes),
    };
  }

  private readPositions(tenant: string): Record<string, number> {
    const rows = this.sql.guard(
      'reading forensics positions',
      () =>
        this.sql.get('SELECT projection, position FROM projection_positions WHERE tenant = ?').all(tenant) as {
          projection: string;
          position: number;
        }[],
    );
    return Object.fromEntries(rows.map((r) => [r.projection, r.position]));
  }

  private readEntries(tenant: string, from: number, limit: number): ForensicsSourceEntry[] {
    return this.sql
      .get(
        'SELECT sequence, canonical FROM entries WHERE log_id = (SELECT log_id FROM logs WHERE tenant = ?) AND sequence >= ? ORDER BY sequence LIMIT ?',
      )
      .all(tenant, from, limit) as ForensicsSourceEntry[];
  }

  private rowsByKey(tables: SchemaTables, tenant: string, tableName: string, keys: readonly string[]): ForensicsRow[] {
    const table = tables.get(tableName);
    if (keys.length === 0) return [];
    const records = this.sql.guard(
      'reading a forensics table',
      () =>
        this.sql
          .get(
            `SELECT ${columnList(table)} FROM ${forensicsTableName(table.name)} WHERE tenant = ? AND key IN (SELECT value FROM json_each(?))`,
          )
          .all(tenant, JSON.stringify(keys)) as Record<string, unknown>[],
    );
    return records.map((r) => toForensicsRow(table, r));
  }

  private write(tables: SchemaTables, tenant: string, writes: ForensicsWrites): void {
    for (const upsert of writes.upserts) {
      const { table, values } = checkedUpsert(tables, upsert);
      this.sql.get(upsertSql(table)).run(tenant, upsert.row.key, upsert.row.ord, ...values, upsert.row.doc);
    }
    const setPosition = this.sql.get(
      'INSERT INTO projection_positions (tenant, projection, position) VALUES (?, ?, ?) ON CONFLICT (tenant, projection) DO UPDATE SET position = excluded.position',
    );
    for (const [projection, position] of Object.entries(writes.positions)) {
      if (!Number.isSafeInteger(position) || position < 0) throw new StoreError('STORE_CORRUPT', `position ${position} is not a sequence`);
      setPosition.run(tenant, projection, position);
    }
  }

  // Drops the named tables (those the previous description made) and creates the current ones.
  private recreate(schema: ForensicsSchema, previous: readonly string[]): void {
    for (const name of new Set([...previous, ...schema.tables.map((t) => t.name)])) {
      this.db.exec(`DROP TABLE IF EXISTS ${forensicsTableName(name)}`);
    }
    for (const table of schema.tables) this.db.exec(tableDdl(table));
    this.db.exec('DELETE FROM projection_positions');
  }

  private transaction(doing: string, work: () => void): Promise<void> {
    return this.writes.run(async () =>
      this.sql.guard(doing, () => {
        this.db.exec('BEGIN IMMEDIATE');
        try {
          work();
          this.db.exec('COMMIT');
        } catch (e) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          throw e;
        }
      }),
    );
  }

  private schema(): SchemaTables {
    if (!this.tables) throw new StoreError('STORE_UNAVAILABLE', 'forensics tables are not set up on this connection (call migrate first)');
    return this.tables;
  }
}

const columnList = (table: ForensicsTable): string => ['key', 'ord', ...table.columns.map((c) => c.name), 'doc'].join(', ');

const upserts = new WeakMap<ForensicsTable, string>();

// The insert-or-replace statement of a table, built once per table description.
function upsertSql(table: ForensicsTable): string {
  let sql = upserts.get(table);
  if (sql === undefined) {
    const names = table.columns.map((c) => c.name);
    sql = `INSERT INTO ${forensicsTableName(table.name)} (tenant, key, ord, ${[...names, 'doc'].join(', ')}) VALUES (${['?', '?', '?', ...names.map(() => '?'), '?'].join(', ')})
      ON CONFLICT (tenant, key) DO UPDATE SET ${['ord', ...names, 'doc'].map((n) => `${n} = excluded.${n}`).join(', ')}`;
    upserts.set(table, sql);
  }
  return sql;
}

// A rowid table (documents can be large) with a unique (tenant, key) index, an (tenant, ord)
// index for listings, and one index per declared filter.
function tableDdl(table: ForensicsTable): string {
  const name = forensicsTableName(table.name);
  const columns = table.columns.map((c) => `${c.name} ${c.type === 'integer' ? 'INTEGER' : 'TEXT'}`);
  return [
    `CREATE TABLE ${name} (tenant TEXT NOT NULL, key TEXT NOT NULL, ord INTEGER NOT NULL, ${[...columns, 'doc TEXT NOT NULL'].join(', ')});`,
    `CREATE UNIQUE INDEX ${name}_key ON ${name} (tenant, key);`,
    ...(table.listed === false ? [] : [`CREATE INDEX ${name}_ord ON ${name} (tenant, ord);`]),
    ...table.indexes.map((cols) => `CREATE INDEX ${name}_by_${cols.join('_')} ON ${name} (tenant, ${cols.join(', ')}, ord);`),
  ].join('\n');
}
