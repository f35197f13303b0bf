import { Pool, PoolClient, QueryResultRow } from 'pg';
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
  ColumnValue,
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
import { StoreError } from '../store-error';
import { isConnectionFailure } from './postgres-errors';
import { toSafeInteger } from './postgres-records';
import { tableIn } from './postgres-statements';

const DUMP_PAGE = 1000;

type Translate = (error: unknown, doing: string) => StoreError;
type Queryable = Pool | PoolClient;

/**
 * Forensics tables in the ledger's PostgreSQL schema, over the ledger store's pool. A forensics
 * transaction takes a transaction-scoped advisory lock keyed by schema and tenant; a second
 * process projecting the same tenant does not wait for it but is told STORE_CONFLICT and
 * tries again later, so several service instances share the work without double-applying.
 */
export class PostgresForensicsStore implements ForensicsStore {
  readonly kind = 'postgres';
  private tables?: SchemaTables;
  private readonly table: (name: string) => string;

  constructor(
    private readonly pool: Pool,
    private readonly schemaName: string | undefined,
    private readonly translate: Translate,
  ) {
    this.table = tableIn(schemaName);
  }

  async migrate(schema: ForensicsSchema): Promise<void> {
    const tables = new SchemaTables(checkedSchema(schema));
    const fingerprint = schemaFingerprint(schema);
    await this.transaction('setting up forensics tables', async (client) => {
      await this.exec(client, 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [this.lockKey('migrate')]);
      await this.exec(
        client,
        `
        CREATE TABLE IF NOT EXISTS ${this.table('projection_schema')} (
          id          integer PRIMARY KEY CHECK (id = 1),
          fingerprint text    NOT NULL,
          tables      text    NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ${this.table('projection_positions')} (
          tenant     text   NOT NULL,
          projection text   NOT NULL,
          position   bigint NOT NULL,
          PRIMARY KEY (tenant, projection)
        );`,
      );
      const rows = await this.rows<{ fingerprint: string; tables: string }>(
        client,
        `SELECT fingerprint, tables FROM ${this.table('projection_schema')} WHERE id = 1`,
        [],
        'reading the forensics schema',
      );
      if (rows[0]?.fingerprint === fingerprint) return;
      await this.recreate(client, schema, rows[0] ? (JSON.parse(rows[0].tables) as string[]) : []);
      await this.exec(
        client,
        `INSERT INTO ${this.table('projection_schema')} (id, fingerprint, tables) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, tables = excluded.tables`,
        [fingerprint, JSON.stringify(schema.tables.map((t) => t.name))],
      );
    });
    this.tables = tables;
  }

  async reset(tenant?: string): Promise<void> {
    const tables = this.schema();
    await this.transaction('resetting forensics tables', async (client) => {
      await this.exec(client, 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [this.lockKey('migrate')]);
      if (tenant === undefined) {
        await this.recreate(
          client,
          tables.schema,
          tables.schema.tables.map((t) => t.name),
        );
        return;
      }
      for (const t of tables.schema.tables) await this.exec(client, `DELETE FROM ${this.rm(t.name)} WHERE tenant = $1`, [tenant]);
      await this.exec(client, `DELETE FROM ${this.table('projection_positions')} WHERE tenant = $1`, [tenant]);
    });
  }

  async withTransaction<T>(tenant: string, work: (tx: ForensicsTransaction) => Promise<T>): Promise<T> {
    const tables = this.schema();
    return this.transaction(`projecting ${tenant}`, async (client) => {
      const rows = await this.rows<{ locked: boolean }>(
        client,
        'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked',
        [this.lockKey(`tenant/${tenant}`)],
        'taking the forensics lock',
      );
      if (!rows[0].locked) throw new StoreError('STORE_CONFLICT', `another process is projecting tenant ${tenant}`);
      return work(this.transactionFor(client, tenant, tables));
    });
  }

  async positions(tenant: string): Promise<Readonly<Record<string, number>>> {
    this.schema();
    return this.readPositions(this.pool, tenant);
  }

  async readRows(tenant: string, table: string, keys: readonly string[]): Promise<ForensicsRow[]> {
    return this.rowsByKey(this.pool, this.schema(), tenant, table, keys);
  }

  async select(tenant: string, tableName: string, query: RowQuery): Promise<RowPage> {
    const tables = this.schema();
    const plan = planRowQuery(tables, tableName, query);
    const table = tables.get(tableName);
    const values: unknown[] = [tenant];
    const bind = (value: unknown) => `$${values.push(value)}`;
    const where = ['tenant = $1', ...rowQueryConditions(plan, bind)].join(' AND ');
    const limit = bind(plan.limit + 1);
    const text = `SELECT ${columnList(table)} FROM ${this.rm(table.name)} WHERE ${where} ORDER BY ord${plan.descending ? ' DESC' : ''} LIMIT ${limit}`;
    const records = await this.rows(this.pool, text, values, 'reading a forensics table');
    return toRowPage(
      records.map((r) => toForensicsRow(table, r)),
      plan.limit,
    );
  }

  async *dump(tenant: string): AsyncIterable<DumpedRow> {
    const tables = this.schema();
    for (const table of [...tables.schema.tables].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const text = `SELECT ${columnList(table)} FROM ${this.rm(table.name)} WHERE tenant = $1 AND key > $2 ORDER BY key COLLATE "C" LIMIT ${DUMP_PAGE}`;
      for (let after = ''; ;) {
        const records = await this.rows(this.pool, text, [tenant, after], 'reading a forensics table');
        for (const r of records) yield { table: table.name, row: toForensicsRow(table, r) };
        if (records.length < DUMP_PAGE) break;
        after = String(records[records.length - 1].key);
      }
    }
  }

  private transactionFor(client: PoolClient, tenant: string, tables: SchemaTables): ForensicsTransaction {
    return {
      positions: () => this.readPositions(client, tenant),
      readEntries: (from, limit) => this.readEntries(client, tenant, from, limit),
      readRows: (table, keys) => this.rowsByKey(client, tables, tenant, table, keys),
      write: (writes) => this.write(client, tables, tenant, writes),
    };
  }

  private async readPositions(on: Queryable, tenant: string): Promise<Record<string, number>> {
    const rows = await this.rows<{ projection: string; position: string }>(
      on,
      `SELECT projection, position FROM ${this.table('projection_positions')} WHERE tenant = $1`,
      [tenant],
      'reading forensics positions',
    );
    return Object.fromEntries(rows.map((r) => [r.projection, toSafeInteger(r.position)]));
  }

  private async readEntries(client: PoolClient, tenant: string, from: number, limit: number): Promise<ForensicsSourceEntry[]> {
    const rows = await this.rows<{ sequence: string; canonical: Buffer }>(
      client,
      `SELECT sequence, canonical FROM ${this.table('entries')}
        WHERE log_id = (SELECT log_id FROM ${this.table('logs')} WHERE tenant = $1) AND sequence >= $2 ORDER BY sequence LIMIT $3`,
      [tenant, from, limit],
      'reading entries to project',
    );
    return rows.map((r) => ({ sequence: toSafeInteger(r.sequence), canonical: r.canonical }));
  }

  private async rowsByKey(on: Queryable, tables: SchemaTables, tenant: string, tableName: string, keys: readonly string[]) {
    const table = tables.get(tableName);
    if (keys.length === 0) return [];
    const records = await this.rows(
      on,
      `SELECT ${columnList(table)} FROM ${this.rm(table.name)} WHERE tenant = $1 AND key = ANY($2::text[])`,
      [tenant, keys],
      'reading a forensics table',
    );
    return records.map((r) => toForensicsRow(table, r));
  }

  // One statement per table, whatever the number of rows: the rows travel as parallel arrays
  // (`unnest`). A key written twice in one call keeps its last row.
  private async write(client: PoolClient, tables: SchemaTables, tenant: string, writes: ForensicsWrites): Promise<void> {
    const byTable = new Map<string, { table: ForensicsTable; rows: Map<string, { ord: number; values: ColumnValue[]; doc: string }> }>();
    for (const upsert of writes.upserts) {
      const { table, values } = checkedUpsert(tables, upsert);
      let group = byTable.get(table.name);
      if (!group) byTable.set(table.name, (group = { table, rows: new Map() }));
      group.rows.set(upsert.row.key, { ord: upsert.row.ord, values, doc: upsert.row.doc });
    }
    for (const { table, rows } of byTable.values()) {
      const names = table.columns.map((c) => c.name);
      const list = [...rows.entries()];
      const arrays: unknown[] = [
        list.map(([key]) => key),
        list.map(([, r]) => r.ord),
        ...names.map((_, i) => list.map(([, r]) => r.values[i])),
        list.map(([, r]) => r.doc),
      ];
      const types = ['text', 'bigint', ...table.columns.map((c) => (c.type === 'integer' ? 'bigint' : 'text')), 'text'];
      const unnest = types.map((t, i) => `$${i + 2}::${t}[]`).join(', ');
      await this.rows(
        client,
        `INSERT INTO ${this.rm(table.name)} (tenant, key, ord, ${[...names, 'doc'].join(', ')})
         SELECT $1, * FROM unnest(${unnest})
         ON CONFLICT (tenant, key) DO UPDATE SET ${['ord', ...names, 'doc'].map((n) => `${n} = excluded.${n}`).join(', ')}`,
        [tenant, ...arrays],
        'writing forensics tables',
      );
    }
    const positions = Object.entries(writes.positions);
    for (const [, position] of positions) {
      if (!Number.isSafeInteger(position) || position < 0) throw new StoreError('STORE_CORRUPT', `position ${position} is not a sequence`);
    }
    if (positions.length > 0) {
      await this.rows(
        client,
        `INSERT INTO ${this.table('projection_positions')} (tenant, projection, position) SELECT $1, * FROM unnest($2::text[], $3::bigint[])
         ON CONFLICT (tenant, projection) DO UPDATE SET position = excluded.position`,
        [tenant, positions.map(([p]) => p), positions.map(([, n]) => n)],
        'writing forensics positions',
      );
    }
  }

  private async recreate(client: PoolClient, schema: ForensicsSchema, previous: readonly string[]): Promise<void> {
    for (const name of new Set([...previous, ...schema.tables.map((t) => t.name)]))
      await this.exec(client, `DROP TABLE IF EXISTS ${this.rm(name)}`);
    for (const table of schema.tables) await this.exec(client, this.tableDdl(table));
    await this.exec(client, `DELETE FROM ${this.table('projection_positions')}`);
  }

  // Text columns compare in byte order ("C"), as SQLite does, whatever the database collation.
  private tableDdl(table: ForensicsTable): string {
    const name = forensicsTableName(table.name);
    const qualified = this.rm(table.name);
    const columns = table.columns.map((c) => `${c.name} ${c.type === 'integer' ? 'bigint' : 'text COLLATE "C"'}`);
    return [
      `CREATE TABLE ${qualified} (tenant text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL, ord bigint NOT NULL, ${[...columns, 'doc text NOT NULL'].join(', ')}, PRIMARY KEY (tenant, key));`,
      ...(table.listed === false ? [] : [`CREATE INDEX ${name}_ord ON ${qualified} (tenant, ord);`]),
      ...table.indexes.map((cols) => `CREATE INDEX ${name}_by_${cols.join('_')} ON ${qualified} (tenant, ${cols.join(', ')}, ord);`),
    ].join('\n');
  }

  private async transaction<T>(doing: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.translate(e, doing);
    }
    client.on('error', ignore);
    let broken = false;
    try {
      await this.rows(client, 'BEGIN', [], doing);
      const result = await work(client);
      await this.rows(client, 'COMMIT', [], `${doing}: committing`);
      return result;
    } catch (e) {
      broken = isConnectionFailure(e instanceof StoreError ? e.cause : e);
      if (!broken)
        broken = await this.exec(client, 'ROLLBACK').then(
          () => false,
          () => true,
        );
      throw e;
    } finally {
      client.off('error', ignore);
      client.release(broken);
    }
  }

  private async rows<R extends QueryResultRow = Record<string, unknown>>(
    on: Queryable,
    text: string,
    values: unknown[],
    doing: string,
  ): Promise<R[]> {
    try {
      return (await on.query<R>({ text, values })).rows;
    } catch (e) {
      throw this.translate(e, doing);
    }
  }

  private async exec(client: PoolClient, text: string, values: unknown[] = []): Promise<void> {
    await this.rows(client, text, values, 'setting up forensics tables');
  }

  private rm(name: string): string {
    return this.table(forensicsTableName(name));
  }

  // The key keeps its original wording: processes of every version must contend for one lock.
  private lockKey(what: string): string {
    return `evidence-ledger/projections/${this.schemaName ?? ''}/${what}`;
  }

  private schema(): SchemaTables {
    if (!this.tables) throw new StoreError('STORE_UNAVAILABLE', 'forensics tables are not set up on this connection (call migrate first)');
    return this.tables;
  }
}

const ignore = (): void => undefined;

const columnList = (table: ForensicsTable): string => ['key', 'ord', ...table.columns.map((c) => c.name), 'doc'].join(', ');
