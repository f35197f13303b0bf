import type { EventData } from '@kurrent/kurrentdb-client';
import { NodeRef } from '@evidence-ledger/core';
import { AppendSession, EntryRow, LogHead, NodeHashes, StoredCheckpoint, StoredEntry } from '../ledger-store';
import { extractNodes, NodeRow, nodeSequences } from '../node-locations';
import { StoreError } from '../store-error';
import { toEntryEvent } from './entry-event';
import { EntryReader, Translate } from './entry-reader';
import { EventIdIndex, IdSource } from './event-id-index';
import { KurrentDbConnection } from './kurrentdb-connection';
import { isWrongExpectedVersion } from './kurrentdb-errors';
import { expectedStateFor } from './stream-revision';
import { assertRowsContinue } from '../append-continuity';

/**
 * The log moved between the session reading its head and writing: another instance appended
 * first. The store runs the session's work again on the new head; this is what the caller
 * sees (STORE_CONFLICT) once it has tried often enough.
 */
export class HeadMovedError extends StoreError {
  constructor(stream: string, treeSize: number, cause?: unknown) {
    super('STORE_CONFLICT', `another writer appended to ${stream} after it was read at tree size ${treeSize}`, {
      cause,
      details: { stream, treeSize },
    });
  }
}

/** What a session reads and writes through. */
export interface SessionContext {
  readonly stream: string;
  readonly connection: KurrentDbConnection;
  readonly reader: EntryReader;
  readonly ids: EventIdIndex;
  readonly idSource: IdSource;
  readonly translate: Translate;
}

/**
 * An optimistic append session on a KurrentDB log. Nothing is locked: the session reads the
 * head once, collects what is appended, and writes it all in one append to the log stream —
 * atomic in KurrentDB — expecting the stream to end exactly where the head was read. If it
 * does not, nothing is written (HeadMovedError). Work that throws writes nothing, since
 * nothing is sent before it resolves. The batch's checkpoint travels in its last event.
 */
export class KurrentDbAppendSession implements AppendSession {
  private current: LogHead;
  private readonly rows: EntryRow[] = [];
  private readonly events: EventData[] = [];
  private ended = false;

  constructor(
    private readonly base: LogHead,
    private readonly ctx: SessionContext,
  ) {
    this.current = base;
  }

  async head(): Promise<LogHead> {
    this.ensureOpen();
    return this.current;
  }

  async findByIds(ids: readonly string[]): Promise<StoredEntry[]> {
    this.ensureOpen();
    if (ids.length === 0) return [];
    await this.ctx.ids.catchUp(this.base.treeSize, this.ctx.idSource);
    const sequences = [...this.ctx.ids.lookup(ids).values()];
    const stored = (await this.ctx.reader.at(this.ctx.stream, sequences, 'looking up event ids')).map((d) => d.entry);
    const asked = new Set(ids.map((id) => id.toLowerCase()));
    return [...stored, ...this.rows.filter((r) => asked.has(r.id.toLowerCase())).map(storedOf)];
  }

  async readNodes(refs: readonly NodeRef[]): Promise<NodeHashes> {
    this.ensureOpen();
    if (refs.length === 0) return new Map();
    const sequences = nodeSequences(refs);
    const committed = sequences.filter((s) => s < this.base.treeSize);
    const rows: NodeRow[] = (await this.ctx.reader.at(this.ctx.stream, committed, 'reading Merkle nodes')).map((d) => d.entry);
    return extractNodes(refs, [...rows, ...this.rows]);
  }

  async append(rows: readonly EntryRow[], checkpoint: StoredCheckpoint, head: LogHead): Promise<void> {
    this.ensureOpen();
    assertRowsContinue(this.current.treeSize, rows, checkpoint, head);
    await this.checkUnique(rows);
    // Built now, so a row KurrentDB cannot hold is refused before anything is sent.
    const events = rows.map((r, i) => toEntryEvent(r, i === rows.length - 1 ? checkpoint : undefined));
    this.rows.push(...rows);
    this.events.push(...events);
    this.current = { treeSize: head.treeSize, chainHash: Buffer.from(head.chainHash) };
  }

  /** Rows appended in this session, in order; empty when it only read. */
  get appended(): readonly EntryRow[] {
    return this.rows;
  }

  /** Called by the store once the work has resolved; the session is dead afterwards. */
  end(): void {
    this.ended = true;
  }

  /**
   * Writes every appended row in one append that expects the stream to end where this
   * session read it. HeadMovedError when another writer got there first.
   */
  async commit(): Promise<void> {
    if (this.events.length === 0) return;
    const { stream, connection } = this.ctx;
    let success: boolean;
    try {
      ({ success } = await connection.appendToStream(stream, this.events, { streamState: expectedStateFor(this.base.treeSize) }));
    } catch (e) {
      if (isWrongExpectedVersion(e)) throw new HeadMovedError(stream, this.base.treeSize, e);
      throw this.ctx.translate(e, `appending ${this.rows.length} entries to ${stream}`);
    }
    // A client configured with throwOnAppendFailure=false reports the conflict as a result.
    if (!success) throw new HeadMovedError(stream, this.base.treeSize);
  }

  // An event id is unique per log: in the batch, among rows appended earlier in this session,
  // and in the log as of the head this session will expect.
  private async checkUnique(rows: readonly EntryRow[]): Promise<void> {
    const ids = rows.map((r) => r.id.toLowerCase());
    const seen = new Set(this.rows.map((r) => r.id.toLowerCase()));
    let taken: string | undefined;
    for (const id of ids) {
      if (seen.has(id)) taken ??= id;
      seen.add(id);
    }
    await this.ctx.ids.catchUp(this.base.treeSize, this.ctx.idSource);
    // An id another instance wrote after this session's head (the index may have been brought
    // further by another caller) is not a refusal: the append will find the log moved, and the
    // session runs again on the new head, where the id is simply found.
    taken ??= [...this.ctx.ids.lookup(ids)].find(([, sequence]) => sequence < this.base.treeSize)?.[0];
    if (taken !== undefined) throw new StoreError('STORE_CONFLICT', `event id ${taken} is already in the log`, { details: { id: taken } });
  }

  private ensureOpen(): void {
    if (this.ended) throw new Error('append session used after its work ended');
  }
}

const storedOf = (r: EntryRow): StoredEntry => ({
  sequence: r.sequence,
  id: r.id,
  canonical: r.canonical,
  leafHash: r.leafHash,
  chainHash: r.chainHash,
  nodes: r.nodes,
});
