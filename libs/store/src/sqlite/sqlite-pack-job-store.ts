import Database from 'better-sqlite3';
import { PACK_JOB_COLUMNS, PackJobRow, toPackJobPage, toPackJobRecord } from '../pack-job-row';
import {
  checkedPackJobQuery,
  EnqueueOutcome,
  NewPackJob,
  PackJobDocument,
  PackJobOutcome,
  PackJobPage,
  PackJobQuery,
  PackJobRecord,
  PackJobStore,
} from '../pack-job-store';
import { SerialQueue } from '../serial-queue';
import { StatementCache } from './statement-cache';

const PENDING = "status IN ('queued', 'building')";

/**
 * Pack jobs (migration 4) in the ledger's SQLite file, on the ledger store's connection and
 * write queue. `BEGIN IMMEDIATE` takes SQLite's write lock, so a count-then-insert or a
 * find-then-claim is one atomic step against every other process on the file too.
 */
export class SqlitePackJobStore implements PackJobStore {
  constructor(
    private readonly db: Database.Database,
    private readonly sql: StatementCache,
    private readonly writes: SerialQueue,
  ) {}

  async enqueue(job: NewPackJob, maxPending: number): Promise<EnqueueOutcome> {
    return this.transaction('queueing an evidence pack', () => {
      const { n } = this.sql.get(`SELECT count(*) AS n FROM pack_jobs WHERE tenant = ? AND ${PENDING}`).get(job.tenant) as { n: number };
      if (n >= maxPending) return { accepted: false, pending: n };
      this.sql
        .get('INSERT INTO pack_jobs (id, tenant, framework, status, request, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(job.id, job.tenant, job.framework, 'queued', JSON.stringify(job.request), job.createdAt, job.createdAt);
      return { accepted: true };
    });
  }

  async find(tenant: string, id: string): Promise<PackJobRecord | undefined> {
    const row = this.sql.guard(
      'reading an evidence pack',
      () => this.sql.get(`SELECT ${PACK_JOB_COLUMNS} FROM pack_jobs WHERE id = ? AND tenant = ?`).get(id, tenant) as PackJobRow | undefined,
    );
    return row && toPackJobRecord(row);
  }

  async list(tenant: string, query: PackJobQuery): Promise<PackJobPage> {
    const q = checkedPackJobQuery(query);
    const where = ['tenant = ?', 'id > ?'];
    const values: unknown[] = [tenant, q.after ?? ''];
    if (q.framework !== undefined) {
      where.push('framework = ?');
      values.push(q.framework);
    }
    if (q.status !== undefined) {
      where.push('status = ?');
      values.push(q.status);
    }
    values.push(q.limit + 1);
    const text = `SELECT ${PACK_JOB_COLUMNS} FROM pack_jobs WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`;
    const rows = this.sql.guard('listing evidence packs', () => this.sql.get(text).all(...values) as PackJobRow[]);
    return toPackJobPage(rows, q.limit);
  }

  async claim(owner: string, now: number, leaseUntil: number): Promise<PackJobRecord | undefined> {
    // Builders look every few seconds and usually find nothing: a read, without SQLite's
    // write lock, answers that; the claim itself is decided under the lock below.
    const waiting = this.sql.guard('looking for evidence packs to build', () =>
      this.sql.get(`SELECT 1 FROM pack_jobs WHERE status = 'queued' OR (status = 'building' AND lease_until < ?) LIMIT 1`).get(now),
    );
    if (waiting === undefined) return undefined;
    return this.transaction('claiming an evidence pack', () => {
      const row = this.sql
        .get(
          `UPDATE pack_jobs SET status = 'building', owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
           WHERE id = (SELECT id FROM pack_jobs WHERE status = 'queued' OR (status = 'building' AND lease_until < ?) ORDER BY id LIMIT 1)
           RETURNING ${PACK_JOB_COLUMNS}`,
        )
        .get(owner, leaseUntil, new Date(now).toISOString(), now) as PackJobRow | undefined;
      return row && toPackJobRecord(row);
    });
  }

  async renew(id: string, owner: string, update: { leaseUntil: number; progress: number; plan?: PackJobDocument }): Promise<boolean> {
    return this.write('renewing an evidence pack lease', () => {
      const text = `UPDATE pack_jobs SET lease_until = ?, progress = ?, plan = COALESCE(?, plan), updated_at = ?
                    WHERE id = ? AND owner = ? AND status = 'building'`;
      const plan = update.plan === undefined ? null : JSON.stringify(update.plan);
      return this.sql.get(text).run(update.leaseUntil, update.progress, plan, new Date().toISOString(), id, owner).changes === 1;
    });
  }

  async finish(id: string, owner: string, outcome: PackJobOutcome): Promise<boolean> {
    return this.write('finishing an evidence pack', () => {
      // A failed job keeps the progress it reached.
      const text = `UPDATE pack_jobs SET status = ?, progress = COALESCE(?, progress), result = ?, error = ?, lease_until = NULL, updated_at = ?
                    WHERE id = ? AND owner = ? AND status = 'building'`;
      const ready = outcome.status === 'ready';
      const values = [
        outcome.status,
        ready ? 100 : null,
        ready ? JSON.stringify(outcome.result) : null,
        ready ? null : outcome.error,
        new Date().toISOString(),
        id,
        owner,
      ];
      return this.sql.get(text).run(...values).changes === 1;
    });
  }

  async latestReady(tenant: string, framework: string, beforeId: string): Promise<PackJobRecord | undefined> {
    const text = `SELECT ${PACK_JOB_COLUMNS} FROM pack_jobs WHERE tenant = ? AND framework = ? AND status = 'ready' AND id < ? ORDER BY id DESC LIMIT 1`;
    const row = this.sql.guard(
      'reading evidence packs',
      () => this.sql.get(text).get(tenant, framework, beforeId) as PackJobRow | undefined,
    );
    return row && toPackJobRecord(row);
  }

  private write<T>(doing: string, fn: () => T): Promise<T> {
    return this.writes.run(async () => this.sql.guard(doing, fn));
  }

  private transaction<T>(doing: string, fn: () => T): Promise<T> {
    return this.write(doing, () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = fn();
        this.db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    });
  }
}
