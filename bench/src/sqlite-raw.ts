import Database from 'better-sqlite3';
import { GENESIS_CHAIN_HASH } from '@evidence-ledger/core';
import { SqliteLedgerStore } from '@evidence-ledger/store';
import { Benchmark, size } from './benchmark';
import { scratchDir } from './databases';
import { BENCH_TENANT, EntryRowFactory } from './events';
import { measureRate } from './measure';
import { Measurement } from './report';

const INSERT = `INSERT INTO entries (log_id, sequence, id, type, source, subject, changeid, actor_id, event_time, recorded_at, canonical, leaf_hash, chain_hash, nodes)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

// The floor under the SQLite ledger: the rows it would store (same bytes, same table and
// indexes — the store's own migration), written by one prepared INSERT each inside one
// transaction per batch, WAL + synchronous=FULL. No lock, hashing, signing or receipts.
export const sqliteRaw: Benchmark = {
  name: 'sqlite-raw',
  what: 'Baseline: prepared INSERT of the same rows into the same schema, one transaction per batch (WAL, synchronous=FULL)',
  postgres: false,
  async run(ctx) {
    const dir = scratchDir('sqlite-raw');
    const file = dir.file('raw.db');
    const store = await SqliteLedgerStore.open(file);
    await store.migrate();
    await store.close();
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.prepare('INSERT INTO logs (tenant, tree_size, chain_hash) VALUES (?, 0, ?)').run(BENCH_TENANT, GENESIS_CHAIN_HASH);
      const logId = (db.prepare('SELECT log_id FROM logs').get() as { log_id: number }).log_id;
      const insert = db.prepare(INSERT);
      const factory = new EntryRowFactory();
      const out: Measurement[] = [];
      for (const [batch, count] of [
        [1, size(ctx, 2000, 100)],
        [100, size(ctx, 20_000, 2000)],
        [1000, size(ctx, 50_000, 5000)],
      ]) {
        const result = await measureRate(ctx.rounds, () => {
          const rows = factory.next(count);
          return {
            count,
            run: () => {
              for (let i = 0; i < rows.length; i += batch) {
                db.exec('BEGIN');
                for (const r of rows.slice(i, i + batch)) {
                  const x = r.index;
                  insert.run(
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
                }
                db.exec('COMMIT');
              }
            },
          };
        });
        out.push({
          id: `sqlite.raw.b${batch}`,
          name: `SQLite raw INSERT, ${batch} row/txn`,
          value: result.median,
          unit: 'ev/s',
          details: { rowsPerRound: count, rounds: result.rounds, min: result.min, max: result.max },
        });
        ctx.log(`  ${out[out.length - 1].name}: ${Math.round(result.median)} rows/s`);
      }
      return out;
    } finally {
      db.close();
      dir.remove();
    }
  },
};
