import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { Client } from 'pg';

/** What the numbers were measured on; printed above the table and kept in latest.json. */
export interface Machine {
  readonly nproc: number;
  readonly cpu: string;
  readonly ramGiB: number;
  readonly node: string;
  readonly postgres: string;
  readonly sqlite: string;
}

export async function describeMachine(postgresUrl: string): Promise<Machine> {
  return {
    nproc: availableParallelism(),
    cpu: cpuModel(),
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: await postgresVersion(postgresUrl),
    sqlite: sqliteVersion(),
  };
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    const { v } = db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
    const driver = (require('better-sqlite3/package.json') as { version: string }).version;
    return `${v} (better-sqlite3 ${driver})`;
  } finally {
    db.close();
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0].server_version;
  } catch (e) {
    return `unavailable (${(e as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}
