import { GENESIS_CHAIN_HASH, NodeRef } from '@evidence-ledger/core';
import { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { CredentialStore } from '../credential-store';
import { EntryPage, EntryQuery, planEntryQuery, toEntryPage } from '../entry-query';
import { AppendIntent, AppendSession, LedgerStore, LogHead, NodeHashes, StoredCheckpoint, StoredEntry } from '../ledger-store';
import { extractNodes, nodeSequences } from '../node-locations';
import { ForensicsStoreHost } from '../forensics-store';
import { PackJobStoreHost } from '../pack-job-store';
import { CredentialStoreDelegate } from '../credential-store-delegate';
import { StoreError } from '../store-error';
import { migrate } from './migrations';
import { KnownIds, PostgresAppendSession } from './postgres-append-session';
import { PostgresCredentialStore } from './postgres-credential-store';
import { postgresEntryQuery } from './postgres-entry-query';
import { PostgresForensicsStore } from './postgres-forensics-store';
import { PostgresPackJobStore } from './postgres-pack-job-store';
import { parsePostgresUrl, PostgresTarget } from './postgres-connection';
import { isConnectionFailure, translatePostgresError } from './postgres-errors';
import { CheckpointRecord, EntryRecord, toCheckpoint, toEntry, toSafeInteger, uuidsOnly } from './postgres-records';
import { LedgerStatements, ledgerStatements, NamedStatement, query } from './postgres-statements';

const PAGE_SIZE = 1000;

export interface PostgresStoreOptions {
  /** Schema holding the tables (created if missing); also read from `?schema=` in the URL. */
  readonly schema?: string;
  /** Connections in the pool (default 10). */
  readonly poolSize?: number;
  /** How long to wait for a connection before reporting STORE_UNAVAILABLE (default 10 s). */
  readonly connectTimeoutMs?: number;
}

const ignoreError = (): void => undefined;

interface HeadRecord {
  tree_size: string;
  chain_hash: Buffer;
}

interface OpenedLog {
  readonly logId: number;
  readonly head: LogHead;
  readonly known: KnownIds;
}

/**
 * The production store: a pg connection pool over one schema. Appenders of a tenant are
 * serialized by `SELECT … FOR UPDATE` on the tenant's `logs` row, which holds across
 * processes and machines sharing the database; a receipt follows the commit, which is
 * durable under PostgreSQL's default `synchronous_commit`. The same schema holds the
 * service's tenants and API keys (the CredentialStore port, see postgres-credential-store.ts).
 */
export class PostgresLedgerStore
  extends CredentialStoreDelegate
  implements LedgerStore, CredentialStore, ForensicsStoreHost, PackJobStoreHost
{
  readonly kind = 'postgres';
  private readonly sql: LedgerStatements;
  protected readonly credentials: PostgresCredentialStore;
  private forensics?: PostgresForensicsStore;
  private packJobs?: PostgresPackJobStore;

  private constructor(
    private readonly pool: Pool,
    private readonly target: PostgresTarget,
  ) {
    super();
    this.sql = ledgerStatements(target.schema);
    this.credentials = new PostgresCredentialStore(pool, target.schema, (e, doing) => this.translate(e, doing));
  }

  get location(): string {
    return this.target.location;
  }

  // Connects once so a wrong URL or a server that is down shows at startup, not at the first
  // append.
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresLedgerStore> {
    const target = parsePostgresUrl(url, options.schema);
    const pool = new Pool({
      connectionString: target.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      application_name: 'evidence-ledger',
    });
    // An idle client that loses its server is dropped by the pool; without a listener the
    // 'error' event would crash the process.
    pool.on('error', () => undefined);
    const store = new PostgresLedgerStore(pool, target);
    try {
      await store.rows(store.sql.ping, [], 'connecting');
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw e;
    }
    return store;
  }

  async migrate(): Promise<void> {
    const client = await this.connect('migrating');
    let broken = false;
    try {
      await migrate(client, this.target.schema);
    } catch (e) {
      broken = isConnectionFailure(e);
      throw this.translate(e, 'migrating');
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.pool.ending) return;
    await this.pool.end();
  }

  // Forensics tables in the same schema, over this pool (see postgres-forensics-store.ts).
  forensicsStore(): PostgresForensicsStore {
    return (this.forensics ??= new PostgresForensicsStore(this.pool, this.target.schema, (e, doing) => this.translate(e, doing)));
  }

  // Evidence-pack jobs in the same schema, over this pool (see postgres-pack-job-store.ts).
  packJobStore(): PostgresPackJobStore {
    return (this.packJobs ??= new PostgresPackJobStore(this.pool, this.target.schema, (e, doing) => this.translate(e, doing)));
  }

  async withAppendSession<T>(tenant: string, work: (session: AppendSession) => Promise<T>, intent: AppendIntent = {}): Promise<T> {
    const doing = `appending to ${tenant}`;
    const client = await this.connect(doing);
    let session: PostgresAppendSession | undefined;
    let broken = false;
    try {
      const log = await this.openAppend(client, tenant, uuidsOnly(intent.ids ?? []));
      session = new PostgresAppendSession(client, this.sql, log.logId, log.head, (e, what) => this.translate(e, what), log.known);
      const result = await work(session);
      session.end();
      await this.exec(client, 'COMMIT', `committing to ${tenant}`);
      return result;
    } catch (e) {
      session?.end();
      // If COMMIT itself lost the connection the outcome is unknown; the appender retries
      // and idempotent event ids return the original receipts.
      broken = isConnectionFailure(e instanceof StoreError ? e.cause : e);
      if (!broken)
        broken = await client.query('ROLLBACK').then(
          () => false,
          () => true,
        );
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async head(tenant: string): Promise<LogHead> {
    const [r] = await this.rows<HeadRecord>(this.sql.head, [tenant], 'reading the head');
    return r ? { treeSize: toSafeInteger(r.tree_size), chainHash: r.chain_hash } : { treeSize: 0, chainHash: GENESIS_CHAIN_HASH };
  }

  async tenants(): Promise<string[]> {
    return (await this.rows<{ tenant: string }>(this.sql.tenants, [], 'listing tenants')).map((r) => r.tenant);
  }

  async getEntry(tenant: string, sequence: number): Promise<StoredEntry | undefined> {
    const [r] = await this.rows<EntryRecord>(this.sql.entry, [tenant, sequence], 'reading an entry');
    return r && toEntry(r);
  }

  async findByIds(tenant: string, ids: readonly string[]): Promise<StoredEntry[]> {
    const wanted = uuidsOnly(ids);
    if (wanted.length === 0) return [];
    return (await this.rows<EntryRecord>(this.sql.entriesByIds, [tenant, wanted], 'finding entries by id')).map(toEntry);
  }

  // Keyset pagination: each page is its own query on whatever connection is free, so a slow
  // reader never pins a connection or a snapshot.
  async *readEntries(tenant: string, from: number, to = Number.MAX_SAFE_INTEGER): AsyncIterable<StoredEntry> {
    for (let cursor = from; cursor < to;) {
      const rows = await this.rows<EntryRecord>(this.sql.entryPage, [tenant, cursor, to, PAGE_SIZE], 'reading entries');
      for (const r of rows) yield toEntry(r);
      if (rows.length < PAGE_SIZE) return;
      cursor = toSafeInteger(rows[rows.length - 1].sequence) + 1;
    }
  }

  async queryEntries(tenant: string, query: EntryQuery): Promise<EntryPage> {
    const plan = planEntryQuery(query);
    let rows: EntryRecord[];
    try {
      rows = (await this.pool.query<EntryRecord>(postgresEntryQuery(this.sql, tenant, plan))).rows;
    } catch (e) {
      throw this.translate(e, 'querying entries');
    }
    return toEntryPage(rows.map(toEntry), plan.limit);
  }

  async readNodes(tenant: string, refs: readonly NodeRef[]): Promise<NodeHashes> {
    if (refs.length === 0) return new Map();
    const rows = await this.rows<{ sequence: string; leaf_hash: Buffer; nodes: Buffer }>(
      this.sql.nodes,
      [tenant, nodeSequences(refs)],
      'reading Merkle nodes',
    );
    return extractNodes(
      refs,
      rows.map((r) => ({ sequence: toSafeInteger(r.sequence), leafHash: r.leaf_hash, nodes: r.nodes })),
    );
  }

  async latestCheckpoint(tenant: string): Promise<StoredCheckpoint | undefined> {
    const [r] = await this.rows<CheckpointRecord>(this.sql.latestCheckpoint, [tenant], 'reading the latest checkpoint');
    return r && toCheckpoint(r);
  }

  async checkpointAt(tenant: string, treeSize: number): Promise<StoredCheckpoint | undefined> {
    const [r] = await this.rows<CheckpointRecord>(this.sql.checkpointAt, [tenant, treeSize], 'reading a checkpoint');
    return r && toCheckpoint(r);
  }

  async *readCheckpoints(tenant: string, after = 0): AsyncIterable<StoredCheckpoint> {
    for (let cursor = after; ;) {
      const rows = await this.rows<CheckpointRecord>(this.sql.checkpointPage, [tenant, cursor, PAGE_SIZE], 'reading checkpoints');
      for (const r of rows) yield toCheckpoint(r);
      if (rows.length < PAGE_SIZE) return;
      cursor = toSafeInteger(rows[rows.length - 1].tree_size);
    }
  }

  // BEGIN, the lock on the tenant's log row and the lookup of the batch's ids, in one round
  // trip. Creates the log on first use: a concurrent creator makes ON CONFLICT wait for its
  // commit, after which the row is there to lock (and a log that did not exist holds no ids).
  private async openAppend(client: PoolClient, tenant: string, ids: string[]): Promise<OpenedLog> {
    const text = this.sql.openAppend(client.escapeLiteral(tenant), ids.length > 0 ? client.escapeLiteral(`{${ids.join(',')}}`) : undefined);
    let results: QueryResult[];
    try {
      // Several statements yield one result each; pg's typings only know the single form.
      results = (await client.query(text)) as unknown as QueryResult[];
    } catch (e) {
      throw this.translate(e, 'locking the log');
    }
    let [r] = results[1].rows as (HeadRecord & { log_id: number })[];
    const found = ids.length > 0 ? (results[2].rows as EntryRecord[]).map(toEntry) : [];
    if (!r) {
      await this.rows(this.sql.createLog, [tenant, GENESIS_CHAIN_HASH], 'creating the log', client);
      [r] = await this.rows<HeadRecord & { log_id: number }>(this.sql.lockLog, [tenant], 'locking the log', client);
    }
    return {
      logId: r.log_id,
      head: { treeSize: toSafeInteger(r.tree_size), chainHash: r.chain_hash },
      known: { ids: new Set(ids), entries: found },
    };
  }

  private async rows<R extends QueryResultRow>(
    statement: NamedStatement,
    values: unknown[],
    doing: string,
    on: Pool | PoolClient = this.pool,
  ): Promise<R[]> {
    try {
      return (await on.query<R>(query(statement, values))).rows;
    } catch (e) {
      throw this.translate(e, doing);
    }
  }

  private async exec(client: PoolClient, text: string, doing: string): Promise<void> {
    try {
      await client.query(text);
    } catch (e) {
      throw this.translate(e, doing);
    }
  }

  // A checked-out client whose server goes away between queries emits 'error'; pg-pool only
  // listens while the client is idle, and an unheard 'error' would crash the process. The
  // next query on it fails anyway and is translated there.
  private async connect(doing: string): Promise<PoolClient> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.translate(e, doing);
    }
    if (!client.listeners('error').includes(ignoreError)) client.on('error', ignoreError);
    return client;
  }

  private translate(error: unknown, doing: string): StoreError {
    return translatePostgresError(error, { doing, location: this.target.location, password: this.target.password });
  }
}
