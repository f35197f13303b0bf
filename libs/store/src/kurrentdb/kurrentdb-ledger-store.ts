import { setTimeout as sleep } from 'node:timers/promises';
import { GENESIS_CHAIN_HASH, NodeRef } from '@evidence-ledger/core';
import { CredentialStore } from '../credential-store';
import { CredentialStoreDelegate } from '../credential-store-delegate';
import { EntryPage, EntryQuery, planEntryQuery } from '../entry-query';
import { AppendIntent, AppendSession, LedgerStore, LogHead, NodeHashes, StoredCheckpoint, StoredEntry } from '../ledger-store';
import { extractNodes, nodeSequences } from '../node-locations';
import { ForensicsStore, ForensicsStoreHost } from '../forensics-store';
import { PackJobStore, PackJobStoreHost } from '../pack-job-store';
import { SerialQueue } from '../serial-queue';
import { StoreError } from '../store-error';
import { DEFAULT_APPEND_ATTEMPTS, retryDelayMs } from './append-retry';
import { fromRecordedEvent } from './entry-event';
import { EntryReader } from './entry-reader';
import { EventIdIndex, IdSource } from './event-id-index';
import { HeadMovedError, KurrentDbAppendSession } from './kurrentdb-append-session';
import { connectKurrentDb, KurrentDbConnection } from './kurrentdb-connection';
import { queryLogStream } from './kurrentdb-entry-query';
import { KurrentDbForensicsStore } from './kurrentdb-forensics-store';
import { translateKurrentDbError } from './kurrentdb-errors';
import { KurrentDbTarget, parseKurrentDbLocation } from './kurrentdb-location';
import { StreamNames } from './stream-names';
import { subscriptionStartFor } from './stream-revision';
import { TenantRegistry } from './tenant-registry';

/**
 * The store that keeps the service's credentials next to a KurrentDB ledger — and its
 * forensics tables, when it can hold them (SQLite and PostgreSQL can).
 */
export type CompanionCredentialStore = CredentialStore & {
  migrate(): Promise<void>;
  close(): Promise<void>;
  forensicsStore?(): ForensicsStore;
  packJobStore?(): PackJobStore;
};

export interface KurrentDbStoreOptions {
  /** Opens the `credentialStore` location (openStore passes itself). */
  readonly openCredentialStore: (location: string) => Promise<CompanionCredentialStore>;
  /** Connects to KurrentDB; the @kurrent/kurrentdb-client by default. */
  readonly connect?: (connectionString: string) => Promise<KurrentDbConnection>;
  /** Runs of an append session before a lost race is reported as STORE_CONFLICT (default 10). */
  readonly maxAppendAttempts?: number;
}

/**
 * The ledger in KurrentDB (docs/kurrentdb.md): one stream per tenant log, entry `n` at stream
 * revision `n`, its bytes as the event data and its hashes, Merkle nodes and — on the last
 * entry of a batch — the batch's checkpoint in the event metadata. An append is one atomic
 * append to that stream that expects the revision the session read, so instances sharing one
 * KurrentDB can never fork a chain; a session that loses the race runs again on the new head.
 * Tenants, API keys, webhook secrets, forensics tables and evidence-pack jobs live in a companion
 * SQLite or PostgreSQL store, named by the location's `credentialStore`.
 */
export class KurrentDbLedgerStore
  extends CredentialStoreDelegate
  implements LedgerStore, CredentialStore, ForensicsStoreHost, PackJobStoreHost
{
  readonly kind = 'kurrentdb';
  private readonly streams: StreamNames;
  private readonly reader: EntryReader;
  private readonly registry: TenantRegistry;
  private readonly appendQueues = new Map<string, SerialQueue>();
  private readonly idIndexes = new Map<string, EventIdIndex>();
  private readonly maxAppendAttempts: number;
  private forensics?: KurrentDbForensicsStore;
  private closed = false;

  private constructor(
    private readonly connection: KurrentDbConnection,
    private readonly target: KurrentDbTarget,
    protected readonly credentials: CompanionCredentialStore,
    options: KurrentDbStoreOptions,
  ) {
    super();
    const translate = (e: unknown, doing: string) => this.translate(e, doing);
    this.streams = new StreamNames(target.streamPrefix);
    this.reader = new EntryReader(connection, translate);
    this.registry = new TenantRegistry(connection, this.streams, translate);
    this.maxAppendAttempts = Math.max(1, options.maxAppendAttempts ?? DEFAULT_APPEND_ATTEMPTS);
  }

  get location(): string {
    return this.target.location;
  }

  // Reads the tenant registry once so a wrong address, a server that is down or a refused
  // login shows at startup, not at the first append.
  static async open(location: string, options: KurrentDbStoreOptions): Promise<KurrentDbLedgerStore> {
    const target = parseKurrentDbLocation(location);
    const credentials = await options.openCredentialStore(target.credentialStore);
    let store: KurrentDbLedgerStore | undefined;
    try {
      const connection = await (options.connect ?? connectKurrentDb)(target.connectionString);
      store = new KurrentDbLedgerStore(connection, target, credentials, options);
      await store.registry.list();
      return store;
    } catch (e) {
      if (store) await store.close().catch(() => undefined);
      else await credentials.close().catch(() => undefined);
      throw e;
    }
  }

  // KurrentDB needs no schema: streams come into being with their first event.
  async migrate(): Promise<void> {
    await this.credentials.migrate();
    await this.registry.list();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.connection.dispose();
    } finally {
      await this.credentials.close();
    }
  }

  // Forensics tables in the credential store's database, fed from the KurrentDB log
  // (kurrentdb-forensics-store.ts).
  forensicsStore(): ForensicsStore {
    if (this.forensics) return this.forensics;
    if (typeof this.credentials.forensicsStore !== 'function') {
      throw new StoreError('STORE_UNAVAILABLE', 'the credential store of this KurrentDB ledger cannot hold forensics tables');
    }
    const tables = this.credentials.forensicsStore();
    return (this.forensics = new KurrentDbForensicsStore(tables, async (tenant, from, limit) => {
      const read = await this.reader.forwards(this.streams.entries(tenant), from, limit, 'reading entries to project');
      return read.map((d) => ({ sequence: d.entry.sequence, canonical: d.entry.canonical }));
    }));
  }

  // Evidence-pack jobs are rows, like forensics tables: they live in the credential store's
  // database, where every instance sharing this KurrentDB sees them.
  packJobStore(): PackJobStore {
    if (typeof this.credentials.packJobStore !== 'function') {
      throw new StoreError('STORE_UNAVAILABLE', 'the credential store of this KurrentDB ledger cannot hold evidence-pack jobs');
    }
    return this.credentials.packJobStore();
  }

  // Sessions of one tenant take turns within this process (losing a race to oneself is pure
  // waste); across processes, the expected revision decides and the loser runs again.
  async withAppendSession<T>(tenant: string, work: (session: AppendSession) => Promise<T>, _intent?: AppendIntent): Promise<T> {
    const stream = this.streams.entries(tenant);
    let queue = this.appendQueues.get(tenant);
    if (!queue) this.appendQueues.set(tenant, (queue = new SerialQueue()));
    return queue.run(() => this.appendWithRetry(tenant, stream, work));
  }

  async head(tenant: string): Promise<LogHead> {
    return this.headOf(this.streams.entries(tenant));
  }

  async tenants(): Promise<string[]> {
    const [logs, registered] = await Promise.all([this.registry.list(), this.credentials.listTenants()]);
    return [...new Set([...logs, ...registered.map((t) => t.name)])].sort();
  }

  async getEntry(tenant: string, sequence: number): Promise<StoredEntry | undefined> {
    const stream = this.streams.entries(tenant);
    if (!Number.isSafeInteger(sequence) || sequence < 0) return undefined;
    return (await this.reader.forwards(stream, sequence, 1, 'reading an entry'))[0]?.entry;
  }

  async findByIds(tenant: string, ids: readonly string[]): Promise<StoredEntry[]> {
    const stream = this.streams.entries(tenant);
    if (ids.length === 0) return [];
    const index = this.idIndexOf(tenant);
    await index.catchUp((await this.headOf(stream)).treeSize, this.idSource(stream));
    const sequences = [...index.lookup(ids).values()];
    return (await this.reader.at(stream, sequences, 'finding entries by id')).map((d) => d.entry);
  }

  async *readEntries(tenant: string, from: number, to = Number.MAX_SAFE_INTEGER): AsyncIterable<StoredEntry> {
    const stream = this.streams.entries(tenant);
    for await (const d of this.reader.range(stream, Math.max(0, from), to, 'reading entries')) yield d.entry;
  }

  async queryEntries(tenant: string, query: EntryQuery): Promise<EntryPage> {
    const plan = planEntryQuery(query);
    return queryLogStream(this.reader, this.streams.entries(tenant), plan);
  }

  async readNodes(tenant: string, refs: readonly NodeRef[]): Promise<NodeHashes> {
    const stream = this.streams.entries(tenant);
    if (refs.length === 0) return new Map();
    const rows = await this.reader.at(stream, nodeSequences(refs), 'reading Merkle nodes');
    return extractNodes(
      refs,
      rows.map((d) => d.entry),
    );
  }

  // The last entry of every batch carries its checkpoint, and an append is a whole batch, so
  // the last entry of a log always carries the newest checkpoint.
  async latestCheckpoint(tenant: string): Promise<StoredCheckpoint | undefined> {
    const stream = this.streams.entries(tenant);
    const last = await this.reader.last(stream, 'reading the latest checkpoint');
    if (last && !last.checkpoint) {
      throw new StoreError('STORE_CORRUPT', `the last entry of ${stream} carries no checkpoint`, {
        details: { stream, sequence: last.entry.sequence },
      });
    }
    return last?.checkpoint;
  }

  async checkpointAt(tenant: string, treeSize: number): Promise<StoredCheckpoint | undefined> {
    const stream = this.streams.entries(tenant);
    if (!Number.isSafeInteger(treeSize) || treeSize < 1) return undefined;
    return (await this.reader.forwards(stream, treeSize - 1, 1, 'reading a checkpoint'))[0]?.checkpoint;
  }

  // Checkpoints live in the entries that end batches, so listing them walks the log from
  // `after` on (a checkpoint of tree size t is in entry t - 1).
  async *readCheckpoints(tenant: string, after = 0): AsyncIterable<StoredCheckpoint> {
    const stream = this.streams.entries(tenant);
    for await (const d of this.reader.range(stream, Math.max(0, after), Number.MAX_SAFE_INTEGER, 'reading checkpoints')) {
      if (d.checkpoint) yield d.checkpoint;
    }
  }

  /**
   * The tenant's entries from `fromSequence` on, in order: first those already in the log,
   * then each one as it is committed, for as long as the caller keeps reading (a KurrentDB
   * catch-up subscription). Leaving the loop ends the subscription. For projection runners
   * that follow the log instead of polling it.
   */
  async *subscribeEntries(tenant: string, fromSequence = 0): AsyncIterable<StoredEntry> {
    const stream = this.streams.entries(tenant);
    if (!Number.isSafeInteger(fromSequence) || fromSequence < 0) throw new RangeError(`${fromSequence} is not a sequence number`);
    const subscription = this.connection.subscribeToStream(stream, { fromRevision: subscriptionStartFor(fromSequence) });
    let next = fromSequence;
    try {
      for await (const { event } of subscription) {
        if (!event) continue;
        const { entry } = fromRecordedEvent(event);
        if (entry.sequence < next) continue;
        if (entry.sequence > next) {
          throw new StoreError('STORE_CORRUPT', `stream ${stream} has no event at revision ${next}: events were removed from the log`, {
            details: { stream, sequence: next },
          });
        }
        next++;
        yield entry;
      }
    } catch (e) {
      throw this.translate(e, `following ${stream}`);
    } finally {
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  private async appendWithRetry<T>(tenant: string, stream: string, work: (session: AppendSession) => Promise<T>): Promise<T> {
    const ids = this.idIndexOf(tenant);
    for (let attempt = 1; ; attempt++) {
      const head = await this.headOf(stream);
      const session = new KurrentDbAppendSession(head, {
        stream,
        connection: this.connection,
        reader: this.reader,
        ids,
        idSource: this.idSource(stream),
        translate: (e, doing) => this.translate(e, doing),
      });
      let result: T;
      try {
        result = await work(session);
      } finally {
        session.end();
      }
      try {
        if (head.treeSize === 0 && session.appended.length > 0) await this.registry.register(tenant);
        await session.commit();
      } catch (e) {
        if (!(e instanceof HeadMovedError) || attempt >= this.maxAppendAttempts) throw e;
        await sleep(retryDelayMs(attempt));
        continue;
      }
      await ids.addCommitted(session.appended);
      return result;
    }
  }

  private async headOf(stream: string): Promise<LogHead> {
    const last = await this.reader.last(stream, 'reading the head');
    return last ? { treeSize: last.entry.sequence + 1, chainHash: last.entry.chainHash } : { treeSize: 0, chainHash: GENESIS_CHAIN_HASH };
  }

  private idIndexOf(tenant: string): EventIdIndex {
    let index = this.idIndexes.get(tenant);
    if (!index) this.idIndexes.set(tenant, (index = new EventIdIndex()));
    return index;
  }

  private idSource(stream: string): IdSource {
    const reader = this.reader;
    return async function* (from, to) {
      for await (const d of reader.range(stream, from, to, 'indexing event ids')) yield d.entry;
    };
  }

  private translate(error: unknown, doing: string): StoreError {
    return translateKurrentDbError(error, { doing, location: this.target.location, password: this.target.password });
  }
}
