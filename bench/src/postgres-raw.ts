import { Pool } from 'pg';
import { GENESIS_CHAIN_HASH } from '@evidence-ledger/core';
import { EntryRow, PostgresLedgerStore } from '@evidence-ledger/store';
import { Benchmark, size } from './benchmark';
import { scratchSchema } from './databases';
import { BENCH_TENANT, EntryRowFactory } from './events';
import { concurrently, measureRate, Round } from './measure';
import { copyRows, ENTRY_COLUMNS } from './pg-binary-copy';
import { Measurement } from './report';

// One multi-row INSERT statement for the batch, parameters bound ($1…$14n): what a plain
// client does without COPY. Autocommit, so one transaction per batch.
function insertStatement(logId: number, rows: readonly EntryRow[]): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const tuples = rows.map((r) => {
    const x = r.index;
    const at = values.length;
    values.push(
      logId,
      r.sequence,
      r.id,
      x.type,
      x.source,
      x.subject ?? null,
      x.changeid ?? null,
      x.actorId ?? null,
      x.time ?? null,
      x.recordedAt,
      r.canonical,
      r.leafHash,
      r.chainHash,
      r.nodes,
    );
    return `(${ENTRY_COLUMNS.map((_, i) => `$${at + i + 1}`).join(', ')})`;
  });
  return { text: `INSERT INTO entries (${ENTRY_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, values };
}

// The floor under the PostgreSQL ledger: the same rows into the same table and indexes (the
// store's own migration, in a fresh schema), by multi-row INSERT — the target's reference —
// and by binary COPY for information. No lock, no hashing, no checkpoint, no receipts.
export const postgresRaw: Benchmark = {
  name: 'postgres-raw',
  what: 'Baseline: multi-row INSERT (and binary COPY) of the same rows into the same schema, one transaction per batch; 16/32 concurrent single-row INSERTs',
  postgres: true,
  async run(ctx) {
    const scratch = await scratchSchema('raw');
    const store = await PostgresLedgerStore.open(scratch.storeUrl);
    await store.migrate();
    await store.close();
    const pool = new Pool({ connectionString: scratch.searchPathUrl, max: 32 });
    const out: Measurement[] = [];
    const factory = new EntryRowFactory();
    const record = (id: string, name: string, r: { median: number; rounds: number; min: number; max: number }, rows: number) => {
      out.push({ id, name, value: r.median, unit: 'ev/s', details: { rowsPerRound: rows, rounds: r.rounds, min: r.min, max: r.max } });
      ctx.log(`  ${name}: ${Math.round(r.median)} rows/s`);
    };
    try {
      const created = await pool.query<{ log_id: number }>(
        'INSERT INTO logs (tenant, tree_size, chain_hash) VALUES ($1, 0, $2) RETURNING log_id',
        [BENCH_TENANT, GENESIS_CHAIN_HASH],
      );
      const logId = created.rows[0].log_id;
      const client = await pool.connect();
      try {
        const sizes = [
          [1, size(ctx, 1500, 100)],
          [100, size(ctx, 20_000, 2000)],
          [1000, size(ctx, 50_000, 5000)],
        ];
        for (const [batch, count] of sizes) {
          const r = await measureRate(ctx.rounds, (): Round => {
            const batches = chunk(factory.next(count), batch);
            return {
              count,
              run: async () => {
                for (const rows of batches) {
                  const q = insertStatement(logId, rows);
                  await client.query(q.text, q.values);
                }
              },
            };
          });
          record(`postgres.insert.b${batch}`, `PG raw multi-row INSERT, ${batch} row/txn`, r, count);
        }
        for (const [batch, count] of sizes.slice(1)) {
          const r = await measureRate(ctx.rounds, (): Round => {
            const batches = chunk(factory.next(count), batch);
            return {
              count,
              run: async () => {
                for (const rows of batches) await copyRows(client, logId, rows);
              },
            };
          });
          record(`postgres.copy.b${batch}`, `PG raw binary COPY, ${batch} row/txn`, r, count);
        }
      } finally {
        client.release();
      }
      for (const writers of [16, 32]) {
        const count = size(ctx, 5000, 1000);
        const r = await measureRate(ctx.rounds, (): Round => {
          const rows = factory.next(count);
          return {
            count,
            run: () =>
              concurrently(count, writers, (i) => {
                const q = insertStatement(logId, [rows[i]]);
                return pool.query(q.text, q.values);
              }),
          };
        });
        record(`postgres.insert.c${writers}`, `PG raw INSERT, ${writers} concurrent writers`, r, count);
      }
      return out;
    } finally {
      await pool.end();
      await scratch.drop();
    }
  },
};

function chunk<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
  return out;
}
