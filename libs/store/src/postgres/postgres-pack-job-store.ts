import { Pool, PoolClient, QueryResultRow } from 'pg';
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
import { StoreError } from '../store-error';
import { isConnectionFailure } from './postgres-errors';
import { NamedStatement, query, tableIn } from './postgres-statements';

function packJobStatements(schema: string | undefined) {
  const jobs = tableIn(schema)('pack_jobs');
  const named = (name: string, text: string): NamedStatement => ({ name: `evidence-ledger/${name}`, text });
  return {
    // Serializes queueing per tenant across every process on the schema, for the count-then-insert.
    lockTenant: named('pack-jobs-lock-tenant', 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))'),
    countPending: named(
      'pack-jobs-count-pending',
      `SELECT count(*)::int AS n FROM ${jobs} WHERE tenant = $1 AND status IN ('queued', 'building')`,
    ),
    insert: named(
      'pack-jobs-insert',
      `INSERT INTO ${jobs} (id, tenant, framework, status, request, created_at, updated_at) VALUES ($1, $2, $3, 'queued', $4, $5, $5)`,
    ),
    find: named('pack-jobs-find', `SELECT ${PACK_JOB_COLUMNS} FROM ${jobs} WHERE id = $1 AND tenant = $2`),
    // SKIP LOCKED: a job another claimer is taking is passed over, never waited for; the outer
    // WHERE is checked again on the locked row's latest version.
    claim: named(
      'pack-jobs-claim',
      `UPDATE ${jobs} SET status = 'building', owner = $1, lease_until = $3, attempts = attempts + 1, updated_at = now()
       WHERE id = (SELECT id FROM ${jobs} WHERE status = 'queued' OR (status = 'building' AND lease_until < $2)
                   ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
         AND (status = 'queued' OR (status = 'building' AND lease_until < $2))
       RETURNING ${PACK_JOB_COLUMNS}`,
    ),
    renew: named(
      'pack-jobs-renew',
      `UPDATE ${jobs} SET lease_until = $3, progress = $4, plan = COALESCE($5, plan), updated_at = now()
       WHERE id = $1 AND owner = $2 AND status = 'building'`,
    ),
    // A failed job keeps the progress it reached.
    finish: named(
      'pack-jobs-finish',
      `UPDATE ${jobs} SET status = $3, progress = COALESCE($4, progress), result = $5, error = $6, lease_until = NULL, updated_at = now()
       WHERE id = $1 AND owner = $2 AND status = 'building'`,
    ),
    latestReady: named(
      'pack-jobs-latest-ready',
      `SELECT ${PACK_JOB_COLUMNS} FROM ${jobs} WHERE tenant = $1 AND framework = $2 AND status = 'ready' AND id < $3 ORDER BY id DESC LIMIT 1`,
    ),
    jobs,
  };
}

type Translate = (error: unknown, doing: string) => StoreError;

/** Pack jobs (migration 4) in the ledger's schema, over the store's pool. */
export class PostgresPackJobStore implements PackJobStore {
  private readonly sql: ReturnType<typeof packJobStatements>;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string | undefined,
    private readonly translate: Translate,
  ) {
    this.sql = packJobStatements(schema);
  }

  async enqueue(job: NewPackJob, maxPending: number): Promise<EnqueueOutcome> {
    const doing = 'queueing an evidence pack';
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.translate(e, doing);
    }
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query(query(this.sql.lockTenant, [`evidence-ledger/pack-jobs/${this.schema ?? ''}/${job.tenant}`]));
      const { n } = (await client.query<{ n: number }>(query(this.sql.countPending, [job.tenant]))).rows[0];
      if (n >= maxPending) {
        await client.query('ROLLBACK');
        return { accepted: false, pending: n };
      }
      await client.query(query(this.sql.insert, [job.id, job.tenant, job.framework, JSON.stringify(job.request), job.createdAt]));
      await client.query('COMMIT');
      return { accepted: true };
    } catch (e) {
      broken =
        isConnectionFailure(e) ||
        (await client.query('ROLLBACK').then(
          () => false,
          () => true,
        ));
      throw this.translate(e, doing);
    } finally {
      client.release(broken);
    }
  }

  async find(tenant: string, id: string): Promise<PackJobRecord | undefined> {
    const [row] = (await this.run<PackJobRow>(this.sql.find, [id, tenant], 'reading an evidence pack')).rows;
    return row && toPackJobRecord(row);
  }

  async list(tenant: string, q: PackJobQuery): Promise<PackJobPage> {
    checkedPackJobQuery(q);
    const values: unknown[] = [tenant, q.after ?? ''];
    const where = ['tenant = $1', 'id > $2'];
    if (q.framework !== undefined) where.push(`framework = $${values.push(q.framework)}`);
    if (q.status !== undefined) where.push(`status = $${values.push(q.status)}`);
    const text = `SELECT ${PACK_JOB_COLUMNS} FROM ${this.sql.jobs} WHERE ${where.join(' AND ')} ORDER BY id LIMIT $${values.push(q.limit + 1)}`;
    const { rows } = await this.run<PackJobRow>({ text }, values, 'listing evidence packs');
    return toPackJobPage(rows, q.limit);
  }

  async claim(owner: string, now: number, leaseUntil: number): Promise<PackJobRecord | undefined> {
    const [row] = (await this.run<PackJobRow>(this.sql.claim, [owner, now, leaseUntil], 'claiming an evidence pack')).rows;
    return row && toPackJobRecord(row);
  }

  async renew(id: string, owner: string, update: { leaseUntil: number; progress: number; plan?: PackJobDocument }): Promise<boolean> {
    const plan = update.plan === undefined ? null : JSON.stringify(update.plan);
    const values = [id, owner, update.leaseUntil, update.progress, plan];
    return (await this.run(this.sql.renew, values, 'renewing an evidence pack lease')).rowCount === 1;
  }

  async finish(id: string, owner: string, outcome: PackJobOutcome): Promise<boolean> {
    const ready = outcome.status === 'ready';
    const values = [
      id,
      owner,
      outcome.status,
      ready ? 100 : null,
      ready ? JSON.stringify(outcome.result) : null,
      ready ? null : outcome.error,
    ];
    return (await this.run(this.sql.finish, values, 'finishing an evidence pack')).rowCount === 1;
  }

  async latestReady(tenant: string, framework: string, beforeId: string): Promise<PackJobRecord | undefined> {
    const [row] = (await this.run<PackJobRow>(this.sql.latestReady, [tenant, framework, beforeId], 'reading evidence packs')).rows;
    return row && toPackJobRecord(row);
  }

  private async run<R extends QueryResultRow>(statement: NamedStatement, values: unknown[], doing: string) {
    try {
      return await this.pool.query<R>(query(statement, values));
    } catch (e) {
      throw this.translate(e, doing);
    }
  }
}
