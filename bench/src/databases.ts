import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export const POSTGRES_URL = process.env.LEDGER_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A temporary directory for SQLite files, removed afterwards. */
export interface ScratchDir {
  readonly dir: string;
  file(name: string): string;
  remove(): void;
}

export function scratchDir(label: string): ScratchDir {
  const dir = mkdtempSync(join(tmpdir(), `ledger-bench-${label}-`));
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh PostgreSQL schema for one benchmark, dropped afterwards. */
export interface ScratchSchema {
  readonly schema: string;
  /** URL for the ledger's store (`?schema=`). */
  readonly storeUrl: string;
  /** URL whose connections default to this schema (`search_path`), for plain pg and Emmett. */
  readonly searchPathUrl: string;
  /**
   * ANALYZE every table in the schema. Benchmarks call it after a warm-up write, so each store
   * is measured in its steady state: with planner statistics, as autovacuum leaves a live
   * database — not with the generic plans a pooled connection cached while the table was
   * empty (see docs/benchmarks.md, "Cold planner statistics").
   */
  analyze(): Promise<void>;
  drop(): Promise<void>;
}

export async function scratchSchema(label: string): Promise<ScratchSchema> {
  const schema = `bench_${label.replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
  return {
    schema,
    storeUrl: withParam(POSTGRES_URL, 'schema', schema),
    searchPathUrl: withParam(POSTGRES_URL, 'options', `-c search_path=${schema}`),
    analyze: () =>
      admin(async (c) => {
        const { rows } = await c.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = $1', [schema]);
        for (const t of rows) await c.query(`ANALYZE ${schema}."${t.name}"`);
      }),
    drop: () => admin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => undefined),
  };
}

export async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function withParam(url: string, key: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
}
