import { ProjectedEntry } from '@evidence-ledger/core';
import { ForensicsRow, RowUpsert } from '@evidence-ledger/store';
import { ForensicsProjection } from '../forensics-projection';
import { Projection, RowSource } from '../projection';

// Test helper: the forensics tables kept in memory, for running projections without a database.

/** Forensics tables in a Map. */
export class MemoryForensicsTables implements RowSource {
  private readonly tables = new Map<string, Map<string, ForensicsRow>>();

  async read(table: string, keys: readonly string[]): Promise<ForensicsRow[]> {
    const rows = this.tables.get(table);
    return keys.flatMap((k) => (rows?.has(k) ? [rows.get(k) as ForensicsRow] : []));
  }

  write(upserts: readonly RowUpsert[]): void {
    for (const { table, row } of upserts) {
      let rows = this.tables.get(table);
      if (!rows) this.tables.set(table, (rows = new Map()));
      rows.set(row.key, row);
    }
  }

  rows(table: string): ForensicsRow[] {
    return [...(this.tables.get(table)?.values() ?? [])].sort((a, b) => a.ord - b.ord || (a.key < b.key ? -1 : 1));
  }

  docs<T>(table: string): T[] {
    return this.rows(table).map((r) => JSON.parse(r.doc) as T);
  }

  /** Every row, table by table, key order: what a store's dump would list. */
  dump(): string[] {
    return [...this.tables.keys()]
      .sort()
      .flatMap((t) =>
        [...(this.tables.get(t) as Map<string, ForensicsRow>).values()]
          .sort((a, b) => (a.key < b.key ? -1 : 1))
          .map((r) => `${t} ${JSON.stringify(r)}`),
      );
  }
}

/** Runs a projection over `entries` in batches of `batchSize`, like the runner. */
export async function projectInMemory(
  entries: readonly ProjectedEntry[],
  options: { batchSize?: number; projection?: Projection; tables?: MemoryForensicsTables } = {},
): Promise<MemoryForensicsTables> {
  const tables = options.tables ?? new MemoryForensicsTables();
  const projection = options.projection ?? new ForensicsProjection();
  const size = options.batchSize ?? (entries.length || 1);
  for (let i = 0; i < entries.length; i += size) tables.write(await projection.apply(entries.slice(i, i + size), tables));
  return tables;
}
