import { randomUUID } from 'node:crypto';
import {
  assertTenantName,
  buildConsistencyProof,
  buildInclusionProof,
  ConsistencyProof,
  consistencyProofNodes,
  EventEnvelope,
  InclusionProof,
  inclusionProofNodes,
  JsonValue,
  LEDGER_EVENT_TYPES,
  LedgerError,
  LIMITS,
  parseEventBatch,
  prepareEvent,
  uuidv7,
} from '@evidence-ledger/core';
import { Signer } from '@evidence-ledger/signing';
import { LedgerStore, nodeKey, StoredCheckpoint, StoredEntry } from '@evidence-ledger/store';
import { AppendedEvent } from './pending-append';
import { LatestCheckpoints } from './latest-checkpoints';
import { defaultPreparer, EventPreparer } from './preparation';
import { TenantSequencer } from './tenant-sequencer';

export interface LedgerOptions {
  readonly store: LedgerStore;
  readonly signer: Signer;
  /** Checkpoint origins are `<originPrefix>/<tenant>` (c2sp.org/tlog-checkpoint). */
  readonly originPrefix: string;
  readonly clock?: () => Date;
  /** Most events one transaction may hold when appends are coalesced (default 5000). */
  readonly maxGroupEvents?: number;
  readonly onCommit?: (stats: { tenant: string; events: number; requests: number; durationMs: number }) => void;
  /** Told when a transaction fails for a reason of the store, refusing every request in it. */
  readonly onCommitFailed?: (failure: { tenant: string; error: unknown }) => void;
  /**
   * How long a checkpoint this process learned of stays the default for proofs before the
   * store is asked again (default 1000 ms). Only matters when other processes append too.
   */
  readonly checkpointMaxAgeMs?: number;
  /**
   * Where events are canonicalized before they queue. Default: large batches shared with a
   * second thread when the machine has more than one core, else inline.
   */
  readonly preparer?: EventPreparer;
}

/** The producer id recorded on entries the ledger writes itself. */
export const LEDGER_PRODUCER = 'evidence-ledger';

/**
 * The append path and the proofs over it, framework-free: the HTTP service, the CLI and
 * the benchmarks all drive this same object.
 *
 * `append` validates the whole batch first (an invalid event rejects it, nothing written),
 * canonicalizes outside the tenant's critical section, then hands the batch to the tenant's
 * sequencer, which group-commits it and resolves only after the transaction is durable.
 */
export class Ledger {
  private readonly sequencers = new Map<string, TenantSequencer>();
  private signer: Signer;
  private closed = false;
  private readonly checkpoints: LatestCheckpoints;
  private readonly preparer: EventPreparer;
  private readonly preparing = new Set<Promise<unknown>>();

  constructor(private readonly options: LedgerOptions) {
    this.signer = options.signer;
    this.preparer = options.preparer ?? defaultPreparer();
    this.checkpoints = new LatestCheckpoints((tenant) => options.store.latestCheckpoint(tenant), options.checkpointMaxAgeMs ?? 1000);
  }

  get store(): LedgerStore {
    return this.options.store;
  }

  get signingKey(): Signer {
    return this.signer;
  }

  origin(tenant: string): string {
    return `${this.options.originPrefix}/${tenant}`;
  }

  // Appends producer events (one or an array, as parsed from JSON). All-or-nothing per call.
  async append(tenant: string, producer: string, input: unknown): Promise<AppendedEvent[]> {
    return this.appendEnvelopes(tenant, producer, parseEventBatch(input));
  }

  async appendEnvelopes(tenant: string, producer: string, envelopes: readonly EventEnvelope[]): Promise<AppendedEvent[]> {
    assertTenantName(tenant);
    if (this.closed) throw new LedgerError('LEDGER_CLOSED', 'the ledger is shutting down; retry against another instance');
    // An append accepted before `close` is committed, not refused: close waits for it.
    const submitted = this.preparer.prepare(envelopes).then((events) => this.sequencer(tenant, true).submit({ events, producer }));
    this.preparing.add(submitted);
    try {
      return await submitted;
    } finally {
      this.preparing.delete(submitted);
    }
  }

  // Replaces the checkpoint signing key. Each tenant's log records a `ledger.key.rotated`
  // entry whose checkpoint both keys sign, so a verifier that trusts the old key learns the
  // new one from the log itself; later checkpoints are signed by the new key only.
  async rotateSigningKey(next: Signer): Promise<AppendedEvent[]> {
    const previous = this.signer;
    const receipts: AppendedEvent[] = [];
    for (const tenant of await this.store.tenants()) {
      const event: EventEnvelope = {
        specversion: '1.0',
        id: randomUUID(),
        source: `urn:evidence-ledger:${this.options.originPrefix}`,
        type: LEDGER_EVENT_TYPES.keyRotated,
        time: (this.options.clock ?? (() => new Date()))().toISOString(),
        datacontenttype: 'application/json',
        data: {
          previousKeyId: previous.keyId,
          previousVerifierKey: previous.verifierKey(),
          keyId: next.keyId,
          verifierKey: next.verifierKey(),
          publicKeyPem: next.publicKeyPem(),
        },
      };
      const [appended] = await this.sequencer(tenant).submit({
        events: [prepareEvent(event)],
        producer: LEDGER_PRODUCER,
        coSigners: [next],
      });
      receipts.push(appended);
    }
    this.signer = next;
    return receipts;
  }

  // Records a fact of the ledger's own (a `ledger.*` event, producer `evidence-ledger`) in the
  // tenant's log, e.g. an operator's break-glass key issuance.
  async appendServerEvent(tenant: string, type: string, data: JsonValue): Promise<AppendedEvent> {
    assertTenantName(tenant);
    const event: EventEnvelope = {
      specversion: '1.0',
      id: uuidv7(),
      source: `urn:evidence-ledger:${this.options.originPrefix}`,
      type,
      time: (this.options.clock ?? (() => new Date()))().toISOString(),
      datacontenttype: 'application/json',
      data,
    };
    const [appended] = await this.sequencer(tenant).submit({ events: [prepareEvent(event)], producer: LEDGER_PRODUCER });
    return appended;
  }

  async latestCheckpoint(tenant: string): Promise<StoredCheckpoint | undefined> {
    return this.store.latestCheckpoint(tenant);
  }

  async entry(tenant: string, sequence: number): Promise<StoredEntry | undefined> {
    return this.store.getEntry(tenant, sequence);
  }

  // RFC 9162 §2.1.3 proof for entry `sequence` in the tree of `treeSize` (default: the latest
  // checkpoint), with the signed checkpoint of that size when one exists.
  async inclusionProof(
    tenant: string,
    sequence: number,
    treeSize?: number,
  ): Promise<{ proof: InclusionProof; checkpoint?: StoredCheckpoint }> {
    const latest = await this.requireCheckpoint(tenant, Math.max(sequence + 1, treeSize ?? 0));
    const size = treeSize ?? latest.treeSize;
    if (!Number.isSafeInteger(size) || size < 1 || size > latest.treeSize) {
      throw new LedgerError('INVALID_PROOF_REQUEST', `treeSize must be between 1 and ${latest.treeSize}`, { treeSize: size });
    }
    const refs = inclusionProofNodes(sequence, size);
    const nodes = await this.store.readNodes(tenant, refs);
    const proof = buildInclusionProof(sequence, size, (r) => nodes.get(nodeKey(r)) as Buffer);
    return { proof, checkpoint: size === latest.treeSize ? latest : await this.store.checkpointAt(tenant, size) };
  }

  // RFC 9162 §2.1.4 proof that the tree of `toSize` extends the tree of `fromSize`.
  async consistencyProof(tenant: string, fromSize: number, toSize?: number): Promise<ConsistencyProof> {
    const latest = await this.requireCheckpoint(tenant, Math.max(fromSize, toSize ?? 0));
    const to = toSize ?? latest.treeSize;
    if (!Number.isSafeInteger(to) || to > latest.treeSize) {
      throw new LedgerError('INVALID_PROOF_REQUEST', `to must be at most ${latest.treeSize}`, { to });
    }
    const refs = consistencyProofNodes(fromSize, to);
    const nodes = await this.store.readNodes(tenant, refs);
    return buildConsistencyProof(fromSize, to, (r) => nodes.get(nodeKey(r)) as Buffer);
  }

  /** Stops taking appends and waits until every accepted one is committed. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.preparing]);
    await Promise.all([...this.sequencers.values()].map((s) => s.idle()));
    await this.preparer.close();
  }

  private sequencer(tenant: string, accepted = false): TenantSequencer {
    if (this.closed && !accepted) throw new LedgerError('LEDGER_CLOSED', 'the ledger is shutting down; retry against another instance');
    let s = this.sequencers.get(tenant);
    if (!s) {
      const { store, clock, maxGroupEvents, onCommit, onCommitFailed } = this.options;
      s = new TenantSequencer(tenant, {
        store,
        signer: () => this.signer,
        origin: this.origin(tenant),
        clock: clock ?? (() => new Date()),
        maxGroupEvents: maxGroupEvents ?? 5 * LIMITS.maxBatchEvents,
        onCommit: onCommit && ((stats) => onCommit({ tenant, ...stats })),
        onCommitFailed: onCommitFailed && ((error) => onCommitFailed({ tenant, error })),
        onCheckpoint: (checkpoint) => this.checkpoints.committed(tenant, checkpoint),
      });
      this.sequencers.set(tenant, s);
    }
    return s;
  }

  // The newest checkpoint, from the store unless this process knows a recent one that covers
  // `minTreeSize` entries (a request naming a larger tree always asks the store).
  private async requireCheckpoint(tenant: string, minTreeSize: number): Promise<StoredCheckpoint> {
    const latest = await this.checkpoints.covering(tenant, minTreeSize);
    if (!latest) throw new LedgerError('NOT_FOUND', `tenant ${tenant} has no entries yet`);
    return latest;
  }
}
