import {
  buildInclusionProof,
  buildInclusionProofs,
  chainHash,
  CompactRange,
  entryBytes,
  EventEnvelope,
  frontierNodes,
  inclusionProofNodes,
  leafHash,
  LedgerError,
  InclusionProof,
  NoteSigner,
  PreparedEvent,
  signCheckpoint,
} from '@evidence-ledger/core';
import { AppendSession, EntryIndex, EntryRow, LedgerStore, nodeKey, StoredCheckpoint, StoredEntry } from '@evidence-ledger/store';
import { BatchNodeSource } from './batch-node-source';
import { AppendedEvent, PendingAppend } from './pending-append';
import { Base64Cache, toReceipt } from './receipt';
import { sameEvent, samePrepared } from './same-event';

export interface SequencerContext {
  readonly store: LedgerStore;
  readonly signer: () => NoteSigner;
  readonly origin: string;
  readonly clock: () => Date;
  /** Upper bound on events coalesced into one transaction. */
  readonly maxGroupEvents: number;
  readonly onCommit?: (stats: { events: number; requests: number; durationMs: number }) => void;
  /**
   * Told when a transaction fails for a reason of the store (not a value it refused): the
   * requests of that group are all refused. For health reporting.
   */
  readonly onCommitFailed?: (error: unknown) => void;
  /** Told of every checkpoint once its transaction has committed. */
  readonly onCheckpoint?: (checkpoint: StoredCheckpoint) => void;
}

type Planned = { kind: 'new'; row: EntryRow } | { kind: 'stored'; entry: StoredEntry } | { kind: 'same-batch'; row: EntryRow };

interface RequestPlan {
  readonly request: PendingAppend;
  readonly items?: Planned[];
  readonly error?: LedgerError;
}

interface Committed {
  readonly plans: RequestPlan[];
  readonly checkpoint?: StoredCheckpoint;
  readonly nodes?: BatchNodeSource;
  readonly head?: CachedHead;
  readonly base64?: Base64Cache;
  /** The inclusion proofs of the batch's new entries, made at the first receipt that needs one. */
  proofs?: InclusionProof[];
  /** The sequence of the batch's first new entry. */
  readonly firstSequence?: number;
}

/** The committed end of the log as this process last wrote it. */
interface CachedHead {
  readonly range: CompactRange;
  readonly chain: Buffer;
}

/**
 * The single writer of one tenant's log. Appends queue here; whenever no commit is running,
 * everything waiting (up to `maxGroupEvents`) is sequenced, hashed, written and signed in one
 * transaction — group commit — and each caller gets receipts for its own events.
 *
 * The store's append lock is what guarantees linearity across processes; this class only
 * avoids contending for it within one. Its cached frontier is trusted only while the stored
 * head still matches it.
 */
export class TenantSequencer {
  private readonly queue: PendingAppend[] = [];
  private running: Promise<void> | undefined;
  private cache: CachedHead | undefined;

  constructor(
    private readonly tenant: string,
    private readonly ctx: SequencerContext,
  ) {}

  submit(request: Omit<PendingAppend, 'resolve' | 'reject'>): Promise<AppendedEvent[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...request, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves once every queued append has been committed or failed. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        await this.commitIsolating(this.takeGroup());
        // Let I/O in before the next group: an embedded store commits synchronously, and
        // without this turn of the event loop busy producers would starve the server (and
        // nothing new could join the next group).
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = undefined;
    }
  }

  // Commits a group; when the store refuses a value (STORE_REJECTED) the fault may be one
  // member's, so the group is split in halves, each committed on its own, down to the single
  // request at fault — which alone is refused. The others commit in queue order, each half in
  // its own transaction on the head the previous one left, so the chain stays linear and
  // gap-free. Any other failure (the database itself) refuses the whole group.
  private async commitIsolating(group: PendingAppend[]): Promise<void> {
    const started = performance.now();
    try {
      await this.commit(group);
      this.ctx.onCommit?.({
        events: group.reduce((n, r) => n + r.events.length, 0),
        requests: group.length,
        durationMs: performance.now() - started,
      });
    } catch (e) {
      this.cache = undefined;
      if (isRejectedValue(e) && group.length > 1) {
        const half = Math.ceil(group.length / 2);
        await this.commitIsolating(group.slice(0, half));
        await this.commitIsolating(group.slice(half));
        return;
      }
      if (!isRejectedValue(e)) this.ctx.onCommitFailed?.(e);
      for (const r of group) r.reject(isRejectedValue(e) ? refusedRequest(e) : e);
    }
  }

  private takeGroup(): PendingAppend[] {
    const group = [this.queue.shift() as PendingAppend];
    let events = group[0].events.length;
    while (this.queue.length > 0 && events + this.queue[0].events.length <= this.ctx.maxGroupEvents) {
      const next = this.queue.shift() as PendingAppend;
      events += next.events.length;
      group.push(next);
    }
    return group;
  }

  private async commit(group: PendingAppend[]): Promise<void> {
    const ids = [...new Set(group.flatMap((r) => r.events.map((e) => e.envelope.id)))];
    const committed = await this.ctx.store.withAppendSession(this.tenant, (session) => this.sequence(session, group, ids), { ids });
    if (committed.head) this.cache = committed.head;
    if (committed.checkpoint) this.ctx.onCheckpoint?.(committed.checkpoint);
    const latest = committed.checkpoint ?? (await this.ctx.store.latestCheckpoint(this.tenant));
    for (const plan of committed.plans) {
      if (plan.error) plan.request.reject(plan.error);
      else this.settle(plan, committed, latest).then(plan.request.resolve, plan.request.reject);
    }
  }

  // Inside the tenant's lock: decide every event's fate, then write the batch in one go.
  private async sequence(session: AppendSession, group: PendingAppend[], ids: readonly string[]): Promise<Committed> {
    const head = await session.head();
    const range = await this.frontierAt(session, head.treeSize, head.chainHash);
    const nodes = new BatchNodeSource(head.treeSize, range.frontier());
    const stored = new Map((await session.findByIds(ids)).map((e) => [e.id, e]));
    const inBatch = new Map<string, { row: EntryRow; event: PreparedEvent }>();
    const recordedAt = this.ctx.clock().toISOString();
    const rows: EntryRow[] = [];
    const plans: RequestPlan[] = [];
    let chain = head.chainHash;

    for (const request of group) {
      const conflict = request.events.find((e) => {
        const prior = stored.get(e.envelope.id);
        if (prior) return !sameEvent(prior.canonical, e);
        const earlier = inBatch.get(e.envelope.id);
        return earlier !== undefined && !samePrepared(earlier.event, e);
      });
      if (conflict) {
        const id = conflict.envelope.id;
        plans.push({ request, error: new LedgerError('ID_CONFLICT', `event id ${id} is already recorded with different content`, { id }) });
        continue;
      }
      const items = request.events.map((event): Planned => {
        const id = event.envelope.id;
        const prior = stored.get(id);
        if (prior) return { kind: 'stored', entry: prior };
        const earlier = inBatch.get(id);
        if (earlier) return { kind: 'same-batch', row: earlier.row };
        const sequence = range.treeSize;
        const canonical = entryBytes(event, { tenant: this.tenant, sequence, recordedAt, producer: request.producer });
        const leaf = leafHash(canonical);
        chain = chainHash(chain, leaf);
        const completed = range.append(leaf);
        nodes.addLeaf(sequence, leaf, completed);
        const row: EntryRow = {
          sequence,
          id,
          canonical,
          leafHash: leaf,
          chainHash: chain,
          nodes: completed.length === 1 ? completed[0].hash : Buffer.concat(completed.map((n) => n.hash)),
          index: entryIndex(event.envelope, recordedAt),
        };
        rows.push(row);
        inBatch.set(id, { row, event });
        return { kind: 'new', row };
      });
      plans.push({ request, items });
    }
    if (rows.length === 0) return { plans };

    const rootHash = range.root();
    const signers = [this.ctx.signer(), ...group.flatMap((r) => r.coSigners ?? [])];
    const note = await signCheckpoint({ origin: this.ctx.origin, treeSize: range.treeSize, rootHash, extensions: [] }, signers);
    const checkpoint: StoredCheckpoint = { treeSize: range.treeSize, rootHash, note };
    await session.append(rows, checkpoint, { treeSize: range.treeSize, chainHash: chain });
    return { plans, checkpoint, nodes, head: { range, chain }, base64: new Base64Cache(), firstSequence: rows[0].sequence };
  }

  // The frontier of the stored tree: the cached one if nobody else appended since, else read
  // back from storage (another process shares the database, or a commit failed).
  private async frontierAt(session: AppendSession, treeSize: number, chain: Buffer): Promise<CompactRange> {
    const cached = this.cache;
    if (cached && cached.range.treeSize === treeSize && cached.chain.equals(chain)) return cached.range.clone();
    const refs = frontierNodes(treeSize);
    const hashes = await session.readNodes(refs);
    return CompactRange.fromFrontier(
      treeSize,
      refs.map((r) => hashes.get(nodeKey(r)) as Buffer),
    );
  }

  private async settle(plan: RequestPlan, committed: Committed, latest: StoredCheckpoint | undefined): Promise<AppendedEvent[]> {
    const items = plan.items ?? [];
    const out: AppendedEvent[] = [];
    const base64 = committed.base64 as Base64Cache;
    for (const item of items) {
      if (item.kind === 'stored') {
        out.push({ receipt: await this.storedReceipt(item.entry, latest), duplicate: true });
        continue;
      }
      const cp = committed.checkpoint as StoredCheckpoint;
      const first = committed.firstSequence as number;
      committed.proofs ??= buildInclusionProofs(first, cp.treeSize, cp.treeSize, (committed.nodes as BatchNodeSource).source);
      const proof = committed.proofs[item.row.sequence - first];
      out.push({
        receipt: toReceipt(item.row.id, { ...item.row, recordedAt: item.row.index.recordedAt }, cp.note, proof, (h) => base64.of(h)),
        duplicate: item.kind === 'same-batch',
      });
    }
    return out;
  }

  private async storedReceipt(entry: StoredEntry, checkpoint: StoredCheckpoint | undefined): Promise<AppendedEvent['receipt']> {
    if (!checkpoint || checkpoint.treeSize <= entry.sequence) {
      throw new LedgerError('STORE_CORRUPT', `entry ${entry.sequence} is not covered by any checkpoint`);
    }
    const refs = inclusionProofNodes(entry.sequence, checkpoint.treeSize);
    const hashes = await this.ctx.store.readNodes(this.tenant, refs);
    const proof = buildInclusionProof(entry.sequence, checkpoint.treeSize, (r) => hashes.get(nodeKey(r)) as Buffer);
    const { recordedAt } = JSON.parse(entry.canonical.toString('utf8')) as { recordedAt: string };
    return toReceipt(entry.id, { ...entry, recordedAt }, checkpoint.note, proof);
  }
}

function entryIndex(e: EventEnvelope, recordedAt: string): EntryIndex {
  return { type: e.type, source: e.source, subject: e.subject, changeid: e.changeid, actorId: e.actor?.id, time: e.time, recordedAt };
}

const isRejectedValue = (e: unknown): e is LedgerError => e instanceof LedgerError && e.code === 'STORE_REJECTED';

// The error a request at fault receives: the store's own wording (which may quote the driver)
// stays in `cause`, for the service's log.
function refusedRequest(e: LedgerError): LedgerError {
  return new LedgerError('STORE_REJECTED', 'the store refused a value of this request; nothing of it was written', e.details, { cause: e });
}
