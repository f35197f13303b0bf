import { canonicalJson, LedgerError, sha256 } from '@evidence-ledger/core';
import {
  ColumnValue,
  ForensicsColumnType,
  ForensicsRow,
  ForensicsSchema,
  ForensicsTable,
  RowPage,
  RowQuery,
  RowUpsert,
} from './forensics-store';
import { StoreError } from './store-error';

/** The largest page `select` serves. */
export const MAX_ROW_QUERY_LIMIT = 1000;

/** Columns every forensics table has; a table description may not reuse these names. */
export const FIXED_COLUMNS = ['tenant', 'key', 'ord', 'doc'] as const;

/** Bumped when the adapters lay forensics tables out differently, so old tables are rebuilt. */
const TABLE_LAYOUT_VERSION = 1;

const NAME = /^[a-z][a-z0-9_]{0,40}$/;

/** Physical table name of a forensics table. */
export const forensicsTableName = (table: string): string => `rm_${table}`;

// Checks a schema description before any DDL is built from it: names become SQL identifiers.
export function checkedSchema(schema: ForensicsSchema): ForensicsSchema {
  const seen = new Set<string>();
  for (const table of schema.tables) {
    if (!NAME.test(table.name) || seen.has(table.name)) throw badSchema(`table name "${table.name}" is invalid or repeated`);
    seen.add(table.name);
    const columns = new Set<string>();
    for (const c of table.columns) {
      if (!NAME.test(c.name) || (FIXED_COLUMNS as readonly string[]).includes(c.name) || columns.has(c.name))
        throw badSchema(`column "${table.name}.${c.name}" is invalid or repeated`);
      if (c.type !== 'text' && c.type !== 'integer') throw badSchema(`column "${table.name}.${c.name}" has an unknown type`);
      columns.add(c.name);
    }
    for (const index of table.indexes) {
      if (index.length === 0 || index.some((c) => !columns.has(c))) throw badSchema(`an index of "${table.name}" names an unknown column`);
    }
  }
  return schema;
}

/** Identifies a schema description (and the adapters' layout): a change means rebuild. */
export function schemaFingerprint(schema: ForensicsSchema): string {
  return sha256(Buffer.from(canonicalJson({ layout: TABLE_LAYOUT_VERSION, tables: schema.tables }), 'utf8')).toString('hex');
}

/** The tables of the current schema by name, for the adapters' lookups. */
export class SchemaTables {
  private readonly byName: ReadonlyMap<string, ForensicsTable>;

  constructor(readonly schema: ForensicsSchema) {
    this.byName = new Map(schema.tables.map((t) => [t.name, t]));
  }

  get(name: string): ForensicsTable {
    const table = this.byName.get(name);
    if (!table) throw new LedgerError('INVALID_QUERY', `no forensics table "${name}"`, { table: name });
    return table;
  }

  columnType(table: ForensicsTable, column: string): ForensicsColumnType {
    const c = table.columns.find((x) => x.name === column);
    if (!c) throw new LedgerError('INVALID_QUERY', `forensics table "${table.name}" has no column "${column}"`, { column });
    return c.type;
  }
}

/** A validated row query, ready to become SQL. */
export interface RowQueryPlan {
  readonly equals: ReadonlyArray<readonly [string, string | number]>;
  readonly ranges: ReadonlyArray<{ readonly column: string; readonly from?: string | number; readonly to?: string | number }>;
  readonly after?: number;
  readonly before?: number;
  readonly limit: number;
  readonly descending: boolean;
}

// Checks every column name against the table's description (names go into SQL text) and
// every value against the column's type, before any SQL is built.
export function planRowQuery(tables: SchemaTables, tableName: string, query: RowQuery): RowQueryPlan {
  const table = tables.get(tableName);
  const { limit } = query;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ROW_QUERY_LIMIT)
    throw invalid(`limit must be an integer from 1 to ${MAX_ROW_QUERY_LIMIT}`, 'limit');
  for (const [field, value] of [
    ['after', query.after],
    ['before', query.before],
  ] as const) {
    if (value !== undefined && !Number.isSafeInteger(value)) throw invalid(`${field} must be a safe integer`, field);
  }
  const checkValue = (column: string, value: unknown): string | number => {
    const type = tables.columnType(table, column);
    if (type === 'integer' ? !Number.isSafeInteger(value) : typeof value !== 'string' || value.includes('\0'))
      throw invalid(`${column} must be ${type === 'integer' ? 'a safe integer' : 'a string without NUL characters'}`, column);
    return value as string | number;
  };
  const equals = Object.entries(query.equals ?? {}).map(([c, v]) => [c, checkValue(c, v)] as const);
  const ranges = (query.ranges ?? []).map((r) => ({
    column: r.column,
    from: r.from === undefined ? undefined : checkValue(r.column, r.from),
    to: r.to === undefined ? undefined : checkValue(r.column, r.to),
  }));
  return { equals, ranges, after: query.after, before: query.before, limit, descending: query.order === 'desc' };
}

// The WHERE conditions of a plan besides the tenant, each value bound through `bind`.
export function rowQueryConditions(plan: RowQueryPlan, bind: (value: unknown) => string): string[] {
  const conditions = plan.equals.map(([column, value]) => `${column} = ${bind(value)}`);
  for (const r of plan.ranges) {
    if (r.from !== undefined) conditions.push(`${r.column} >= ${bind(r.from)}`);
    if (r.to !== undefined) conditions.push(`${r.column} < ${bind(r.to)}`);
  }
  if (plan.after !== undefined) conditions.push(`ord > ${bind(plan.after)}`);
  if (plan.before !== undefined) conditions.push(`ord < ${bind(plan.before)}`);
  return conditions;
}

// Adapters read `limit + 1` rows; the extra one only says whether another page exists.
export function toRowPage(rows: ForensicsRow[], limit: number): RowPage {
  if (rows.length <= limit) return { rows };
  const page = rows.slice(0, limit);
  return { rows: page, next: page[limit - 1].ord };
}

// Checks an upsert against its table before it is written: a bug in what fills the tables must fail the
// transaction, never store a row a query would misread.
export function checkedUpsert(tables: SchemaTables, upsert: RowUpsert): { table: ForensicsTable; values: ColumnValue[] } {
  const table = tables.get(upsert.table);
  const { row } = upsert;
  if (typeof row.key !== 'string' || row.key.length === 0 || row.key.includes('\0'))
    throw corrupt(`a ${table.name} row key must be a non-empty string without NUL`);
  if (!Number.isSafeInteger(row.ord)) throw corrupt(`${table.name} row ${row.key}: ord must be a safe integer`);
  if (typeof row.doc !== 'string') throw corrupt(`${table.name} row ${row.key}: doc must be a string`);
  for (const name of Object.keys(row.columns)) tables.columnType(table, name);
  const values = table.columns.map((c) => {
    const v = row.columns[c.name] ?? null;
    if (v === null) return null;
    if (c.type === 'integer' ? !Number.isSafeInteger(v) : typeof v !== 'string' || v.includes('\0'))
      throw corrupt(`${table.name} row ${row.key}: column ${c.name} must be ${c.type}`);
    return v;
  });
  return { table, values };
}

/** A stored row as adapters read it back: fixed columns, then the filter columns by name. */
export function toForensicsRow(table: ForensicsTable, record: Record<string, unknown>): ForensicsRow {
  const columns: Record<string, ColumnValue> = {};
  for (const c of table.columns) {
    const v = record[c.name];
    columns[c.name] = v === null || v === undefined ? null : c.type === 'integer' ? safeInteger(v) : String(v);
  }
  return { key: String(record.key), ord: safeInteger(record.ord), columns, doc: String(record.doc) };
}

function safeInteger(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new StoreError('STORE_CORRUPT', `stored integer ${String(value)} is out of range`);
  return n;
}

function invalid(message: string, field: string): LedgerError {
  return new LedgerError('INVALID_QUERY', message, { field });
}

function badSchema(message: string): StoreError {
  return new StoreError('STORE_CORRUPT', `invalid forensics schema: ${message}`);
}

function corrupt(message: string): StoreError {
  return new StoreError('STORE_CORRUPT', `refusing a forensics write: ${message}`);
}
