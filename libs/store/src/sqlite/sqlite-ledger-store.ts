import Database from 'better-sqlite3';
import { closeSync, constants, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { GENESIS_CHAIN_HASH, NodeRef } from '@evidence-ledger/core';
import { CredentialStore } from '../credential-store';
import { EntryPage, EntryQuery, planEntryQuery, toEntryPage } from '../entry-query';
import { AppendSession, EntryRow, LedgerStore, LogHead, NodeHashes, StoredCheckpoint, StoredEntry } from '../ledger-store';
import { ForensicsStoreHost } from '../forensics-store';
import { PackJobStoreHost } from '../pack-job-store';
import { extractNodes, NodeRow, nodeSequences } from '../node-locations';
import { SerialQueue } from '../serial-queue';
import { CredentialStoreDelegate } from '../credential-store-delegate';
import { StoreError } from '../store-error';
import { SQLITE_MIGRATIONS } from './migrations';
import { SqliteCredentialStore } from './sqlite-credential-store';
import { sqliteEntryQuery } from './sqlite-entry-query';
import { SqliteForensicsStore } from './sqlite-forensics-store';
import { SqlitePackJobStore } from './sqlite-pack-job-store';
import { translateSqliteError } from './sqlite-errors';
import { StatementCache } from './statement-cache';
import { assertRowsContinue } from '../append-continuity';
import { readEntryPages } from './entry-page-reader';

const PAGE_SIZE = 1000;
const ENTRY_COLUMNS = 'sequence, id, canonical, leaf_hash, chain_hash, nodes';
const writeQueues = new Map<string, SerialQueue>();

interface EntryRecord {
  sequence: number;
  id: string;
  canonical: Buffer;
  leaf_hash: Buffer;
  chain_hash: Buffer;
  nodes: Buffer;
}

interface CheckpointRecord {
  tree_size: number;
  root_hash: Buffer;
  note: string;
}

const toEntry = (r: EntryRecord): StoredEntry => ({
  sequence: r.sequence,
  id: r.id,
  canonical: r.canonical,
  leafHash: r.leaf_hash,
  chainHash: r.chain_hash,
  nodes: r.nodes,
});
const toCheckpoint = (r: CheckpointRecord): StoredCheckpoint => ({ treeSize: r.tree_size, rootHash: r.root_hash, note: r.note });

export interface SqliteStoreOptions {
  /** How long a statement waits for another process's write lock (default 10 s). */
  readonly busyTimeoutMs?: number;
  /**
   * Whether reads of more than one page of entries continue on a reader thread (default
   * true; see entry-page-reader.ts). Off, every page is read on the calling thread.
   */
  readonly readAhead?: boolean;
}

/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a commit is on
 * disk before any receipt is returned. `BEGIN IMMEDIATE` takes SQLite's single write lock,
 * which serializes appenders across processes as well as within this one. The same file holds
 * the service's tenants and API keys (the CredentialStore port, see sqlite-credential-store.ts).
 */
export class SqliteLedgerStore
  extends CredentialStoreDelegate
  implements LedgerStore, CredentialStore, ForensicsStoreHost, PackJobStoreHost
{
  readonly kind = 'sqlite';
  private readonly logIds = new Map<string, number>();
  private readonly writes: SerialQueue;
  private readonly sql: StatementCache;
  protected readonly credentials: SqliteCredentialStore;
  private forensics?: SqliteForensicsStore;
  private packJobs?: SqlitePackJobStore;

  private constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly busyTimeoutMs: number,
    private readonly readAhead: boolean,
  ) {
    super();
    // better-sqlite3 waits for a busy database synchronously, blocking the event loop: two
    // connections of one process to one file would deadlock each other. They share a queue.
    this.writes = writeQueues.get(file) ?? new SerialQueue();
    writeQueues.set(file, this.writes);
    this.sql = new StatementCache(db);
    this.credentials = new SqliteCredentialStore(this.sql, this.writes);
  }

  get location(): string {
    return `sqlite:${this.file}`;
  }

  static async open(path: string, options: SqliteStoreOptions = {}): Promise<SqliteLedgerStore> {
    const file = resolve(path);
    const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      createPrivateFile(file);
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      db.pragma('foreign_keys = ON');
      db.defaultSafeIntegers(false);
      return new SqliteLedgerStore(db, file, busyTimeoutMs, options.readAhead ?? true);
    } catch (e) {
      const translated = translateSqliteError(e, `opening ${file}`);
      if (translated instanceof StoreError) throw translated;
      throw new StoreError('STORE_UNAVAILABLE', `cannot open ${file}: ${(e as Error).message}`, { cause: e });
    }
  }

  async migrate(): Promise<void> {
    await this.writes.run(async () =>
      this.sql.guard('migrating', () => {
        this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
        this.db.exec('BEGIN IMMEDIATE');
        try {
          const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
          for (let v = (row.v ?? 0) + 1; v <= SQLITE_MIGRATIONS.length; v++) {
            this.db.exec(SQLITE_MIGRATIONS[v - 1]);
            this.db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(v, new Date().toISOString());
          }
          this.db.exec('COMMIT');
        } catch (e) {
          this.db.exec('ROLLBACK');
          throw e;
        }
      }),
    );
  }

  async close(): Promise<void> {
    await this.writes.run(async () => this.db.close());
  }

  // Forensics tables on this connection and its write queue (see sqlite-forensics-store.ts).
  forensicsStore(): SqliteForensicsStore {
    return (this.forensics ??= new SqliteForensicsStore(this.db, this.sql, this.writes));
  }

  // Evidence-pack jobs on this connection and its write queue (see sqlite-pack-job-store.ts).
  packJobStore(): SqlitePackJobStore {
    return (this.packJobs ??= new SqlitePackJobStore(this.db, this.sql, this.writes));
  }

  withAppendSession<T>(tenant: string, work: (session: AppendSession) => Promise<T>): Promise<T> {
    return this.writes.run(async () => {
      this.sql.guard('starting an append', () => this.db.exec('BEGIN IMMEDIATE'));
      try {
        const logId = this.ensureLog(tenant);
        const result = await work(this.session(logId));
        this.sql.guard('committing', () => this.db.exec('COMMIT'));
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        this.logIds.delete(tenant); // the log row may have been created by this transaction
        throw translateSqliteError(e, `appending to ${tenant}`);
      }
    });
  }

  async head(tenant: string): Promise<LogHead> {
    const logId = this.logId(tenant);
    return logId === undefined ? emptyHead() : this.readHead(logId);
  }

  async tenants(): Promise<string[]> {
    const rows = this.sql.guard(
      'listing tenants',
      () => this.sql.get('SELECT tenant FROM logs UNION SELECT name FROM tenants ORDER BY 1').all() as { tenant: string }[],
    );
    return rows.map((r) => r.tenant);
  }

  async getEntry(tenant: string, sequence: number): Promise<StoredEntry | undefined> {
    const logId = this.logId(tenant);
    if (logId === undefined) return undefined;
    const r = this.sql
      .get('SELECT sequence, id, canonical, leaf_hash, chain_hash, nodes FROM entries WHERE log_id = ? AND sequence = ?')
      .get(logId, sequence) as EntryRecord | undefined;
    return r && toEntry(r);
  }

  async findByIds(tenant: string, ids: readonly string[]): Promise<StoredEntry[]> {
    const logId = this.logId(tenant);
    return logId === undefined ? [] : this.entriesByIds(logId, ids);
  }

  private entriesByIds(logId: number, ids: readonly string[]): StoredEntry[] {
    if (ids.length === 0) return [];
    return (
      this.sql
        .get(
          'SELECT sequence, id, canonical, leaf_hash, chain_hash, nodes FROM entries WHERE log_id = ? AND id IN (SELECT value FROM json_each(?))',
        )
        .all(logId, JSON.stringify(ids)) as EntryRecord[]
    ).map(toEntry);
  }

  async *readEntries(tenant: string, from: number, to = Number.MAX_SAFE_INTEGER): AsyncIterable<StoredEntry> {
    const logId = this.logId(tenant);
    if (logId === undefined) return;
    const page = this.sql.get(
      'SELECT sequence, id, canonical, leaf_hash, chain_hash, nodes FROM entries WHERE log_id = ? AND sequence >= ? AND sequence < ? ORDER BY sequence LIMIT ?',
    );
    for (let cursor = from; cursor < to;) {
      const rows = this.sql.guard('reading entries', () => page.all(logId, cursor, to, PAGE_SIZE) as EntryRecord[]);
      for (const r of rows) yield toEntry(r);
      if (rows.length < PAGE_SIZE) return;
      cursor = rows[rows.length - 1].sequence + 1;
      // A long read: the rest comes from a reader thread, so reading overlaps with whatever
      // the consumer does with the entries.
      if (cursor < to && this.readAhead) {
        yield* readEntryPages({ file: this.file, logId, from: cursor, to, pageSize: PAGE_SIZE, busyTimeoutMs: this.busyTimeoutMs });
        return;
      }
    }
  }

  async queryEntries(tenant: string, query: EntryQuery): Promise<EntryPage> {
    const plan = planEntryQuery(query);
    const logId = this.logId(tenant);
    if (logId === undefined) return { entries: [] };
    const { sql, values } = sqliteEntryQuery(ENTRY_COLUMNS, logId, plan);
    const rows = this.sql.guard('querying entries', () => this.sql.get(sql).all(...values) as EntryRecord[]);
    return toEntryPage(rows.map(toEntry), plan.limit);
  }

  async readNodes(tenant: string, refs: readonly NodeRef[]): Promise<NodeHashes> {
    const logId = this.logId(tenant);
    return this.nodes(logId ?? -1, refs);
  }

  async latestCheckpoint(tenant: string): Promise<StoredCheckpoint | undefined> {
    const logId = this.logId(tenant);
    if (logId === undefined) return undefined;
    const r = this.sql
      .get('SELECT tree_size, root_hash, note FROM checkpoints WHERE log_id = ? ORDER BY tree_size DESC LIMIT 1')
      .get(logId) as CheckpointRecord | undefined;
    return r && toCheckpoint(r);
  }

  async checkpointAt(tenant: string, treeSize: number): Promise<StoredCheckpoint | undefined> {
    const logId = this.logId(tenant);
    if (logId === undefined) return undefined;
    const r = this.sql.get('SELECT tree_size, root_hash, note FROM checkpoints WHERE log_id = ? AND tree_size = ?').get(logId, treeSize) as
      CheckpointRecord | undefined;
    return r && toCheckpoint(r);
  }

  async *readCheckpoints(tenant: string, after = 0): AsyncIterable<StoredCheckpoint> {
    const logId = this.logId(tenant);
    if (logId === undefined) return;
    const page = this.sql.get(
      'SELECT tree_size, root_hash, note FROM checkpoints WHERE log_id = ? AND tree_size > ? ORDER BY tree_size LIMIT ?',
    );
    for (let cursor = after; ;) {
      const rows = page.all(logId, cursor, PAGE_SIZE) as CheckpointRecord[];
      for (const r of rows) yield toCheckpoint(r);
      if (rows.length < PAGE_SIZE) return;
      cursor = rows[rows.length - 1].tree_size;
    }
  }

  private session(logId: number): AppendSession {
    return {
      head: async () => this.readHead(logId),
      findByIds: async (ids) => this.entriesByIds(logId, ids),
      readNodes: async (refs) => this.nodes(logId, refs),
      append: async (rows, checkpoint, head) => this.append(logId, rows, checkpoint, head),
    };
  }

  private append(logId: number, rows: readonly EntryRow[], checkpoint: StoredCheckpoint, head: LogHead): void {
    assertRowsContinue(this.readHead(logId).treeSize, rows, checkpoint, head);
    const insert = this.sql.get(
      `INSERT INTO entries (log_id, sequence, id, type, source, subject, changeid, actor_id, event_time, recorded_at, canonical, leaf_hash, chain_hash, nodes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of rows) {
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
    this.sql
      .get('INSERT INTO checkpoints (log_id, tree_size, root_hash, note, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(logId, checkpoint.treeSize, checkpoint.rootHash, checkpoint.note, new Date().toISOString());
    this.sql.get('UPDATE logs SET tree_size = ?, chain_hash = ? WHERE log_id = ?').run(head.treeSize, head.chainHash, logId);
  }

  private nodes(logId: number, refs: readonly NodeRef[]): NodeHashes {
    const rows = this.sql
      .get('SELECT sequence, leaf_hash AS leafHash, nodes FROM entries WHERE log_id = ? AND sequence IN (SELECT value FROM json_each(?))')
      .all(logId, JSON.stringify(nodeSequences(refs))) as NodeRow[];
    return extractNodes(refs, rows);
  }

  private readHead(logId: number): LogHead {
    const r = this.sql.get('SELECT tree_size, chain_hash FROM logs WHERE log_id = ?').get(logId) as {
      tree_size: number;
      chain_hash: Buffer;
    };
    return { treeSize: r.tree_size, chainHash: r.chain_hash };
  }

  private ensureLog(tenant: string): number {
    const known = this.logId(tenant);
    if (known !== undefined) return known;
    this.sql.get('INSERT OR IGNORE INTO logs (tenant, tree_size, chain_hash) VALUES (?, 0, ?)').run(tenant, GENESIS_CHAIN_HASH);
    return this.logId(tenant) as number;
  }

  private logId(tenant: string): number | undefined {
    const cached = this.logIds.get(tenant);
    if (cached !== undefined) return cached;
    const r = this.sql.guard(
      'reading logs',
      () => this.sql.get('SELECT log_id FROM logs WHERE tenant = ?').get(tenant) as { log_id: number } | undefined,
    );
    if (r) this.logIds.set(tenant, r.log_id);
    return r?.log_id;
  }
}

function emptyHead(): LogHead {
  return { treeSize: 0, chainHash: GENESIS_CHAIN_HASH };
}

// The database holds every event and the webhook secrets: a new file is created readable by its
// owner only (0600) before SQLite opens it, and SQLite gives its -wal and -shm files the mode of
// the database file. An existing file keeps the mode its operator chose.
function createPrivateFile(file: string): void {
  closeSync(openSync(file, constants.O_CREAT | constants.O_RDWR, 0o600));
}
