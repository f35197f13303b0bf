import { CatalogEventType, JsonValue } from '@evidence-ledger/core';
import { setMaxListeners } from 'node:events';
import { BatchDelivery, DeliveryOutcome } from './batch-delivery';
import { Batcher } from './batcher';
import { CatalogEventData, ExtensionEventType, GOVERNANCE_EVENT_TYPES } from './catalog-events';
import { CheckpointHistory } from './checkpoint-history';
import { LedgerClientOptions, ResolvedOptions, resolveOptions } from './client-options';
import { ClientClosedError, DeliveryError, EventRejectedError, LedgerIntegrityError, QueueFullError } from './errors';
import { FailureReporter, Unheard } from './failure-reporter';
import { LedgerApi } from './ledger-api';
import { buildEvent, EventAttributes, OutgoingEvent } from './ledger-event';
import { LedgerReceipt, PendingReceipt } from './pending-receipt';
import { ReceiptVerifier } from './receipt-verifier';
import { RetryPolicy } from './retry-policy';
import { Spool, SpoolRecovery } from './spool';
import { TrustStateFile } from './trust-state';
import { consistencyProofSource, publicKeysSource } from './verification-sources';

/** One event the client is responsible for, from `record…` until its receipt is settled. */
interface Submission {
  readonly event: OutgoingEvent;
  readonly pending: PendingReceipt;
  accept(): void;
  resolve(receipt: LedgerReceipt): void;
  fail(error: Error): void;
}

/**
 * The producer's connection to Evidence Ledger. Records events (typed helpers for every
 * catalog type), delivers them in batches with retries, optionally keeps them in a durable
 * spool until the ledger acknowledges them, and verifies every receipt against pinned keys —
 * including that the log still extends every checkpoint this producer saw before.
 *
 * ```ts
 * const ledger = new LedgerClient({ url, apiKey, source: 'urn:acme:ci', verifierKeys: [vkey], spoolDir: '/var/lib/ci/ledger' });
 * const receipt = await ledger.recordScan({ tool: { name: 'semgrep', version: '1.79.0' }, kind: 'sast', … });
 * await ledger.close();
 * ```
 */
export class LedgerClient {
  private readonly options: ResolvedOptions;
  private readonly submissions = new Map<string, Submission>();
  private readonly spooling = new Set<Promise<void>>();
  private readonly batcher: Batcher<Submission>;
  private readonly delivery: BatchDelivery;
  private readonly verifier: ReceiptVerifier | undefined;
  private readonly spool: Spool | undefined;
  private readonly trustFile: TrustStateFile | undefined;
  private readonly stop = new AbortController();
  private readonly failures: FailureReporter;
  private closing: Promise<void> | undefined;
  /** What opening the spool found; undefined without a spool. */
  readonly spoolRecovery: SpoolRecovery | undefined;

  constructor(options: LedgerClientOptions) {
    this.options = resolveOptions(options);
    const o = this.options;
    // Every request and every backoff in flight listens for the client stopping.
    setMaxListeners(0, this.stop.signal);
    const api = new LedgerApi({ url: o.url, apiKey: o.apiKey, requestTimeoutMs: o.requestTimeoutMs });
    const retry = new RetryPolicy(o.retry, o.spoolDir === undefined ? undefined : Infinity);
    this.delivery = new BatchDelivery(api, retry, this.stop.signal, o.onRetry);
    this.batcher = new Batcher(o, (batch) => this.deliver(batch));
    this.failures = new FailureReporter(o);

    // The spool first: its lock keeps a second process off the directory, trust state included.
    const opened = o.spoolDir === undefined ? undefined : Spool.open(o.spoolDir);
    try {
      if (o.spoolDir !== undefined) {
        this.trustFile = TrustStateFile.inDirectory(o.spoolDir, (e) =>
          process.emitWarning(`evidence-ledger: could not save the trust state: ${e.message}`, { type: 'LedgerSpoolWarning' }),
        );
      }
      if (o.trust.kind !== 'off') {
        const proofRetry = new RetryPolicy({ ...o.retry, maxAttempts: Math.min(retry.maxAttempts, 5) });
        this.verifier = new ReceiptVerifier({
          anchor:
            o.trust.kind === 'pinned' ? o.trust : { kind: 'first-use', fetchKeys: publicKeysSource(api, proofRetry, this.stop.signal) },
          origin: o.origin,
          apiKey: o.apiKey,
          history: new CheckpointHistory(consistencyProofSource(api, proofRetry, this.stop.signal)),
          saved: this.trustFile?.load(),
          save: this.trustFile && ((state) => this.trustFile?.save(state)),
        });
      }
    } catch (e) {
      opened?.spool.abandon();
      throw e;
    }
    if (opened) {
      this.spool = opened.spool;
      this.spoolRecovery = opened.recovery;
      for (const event of opened.recovery.events) this.resume(event);
    }
  }

  /** Events recorded and not yet settled (waiting, in flight, or being verified). */
  get pendingEvents(): number {
    return this.submissions.size;
  }

  /** Records any event: a catalog type with its typed `data`, or your own `x.…` type. */
  record<T extends CatalogEventType>(type: T, data: CatalogEventData[T], attributes?: EventAttributes): PendingReceipt;
  record(type: ExtensionEventType, data: JsonValue, attributes?: EventAttributes): PendingReceipt;
  record(type: string, data: unknown, attributes: EventAttributes = {}): PendingReceipt {
    if (this.closing) return this.refuse(attributes.id, new ClientClosedError('the client is closed; no new events are accepted'));
    let event: OutgoingEvent;
    try {
      // Governance settings and exception responses are recorded with an admin key, which the
      // ledger stamps on the entry (`producerrole`); declaring it here keeps the bytes the
      // receipt is checked against the same.
      if (GOVERNANCE_EVENT_TYPES.includes(type) && attributes.extensions?.producerrole === undefined) {
        attributes = { ...attributes, extensions: { ...attributes.extensions, producerrole: 'admin' } };
      }
      event = buildEvent(type, data, attributes, { source: this.options.source, actor: this.options.actor, now: this.options.clock });
    } catch (e) {
      return this.refuse(attributes.id, e as Error);
    }
    const existing = this.submissions.get(event.id);
    if (existing) {
      if (existing.event.json === event.json) return existing.pending;
      return this.refuse(
        event.id,
        new EventRejectedError(event.id, 'ID_CONFLICT', 'an event with this id and other content is still being delivered'),
      );
    }
    if (this.submissions.size >= this.options.maxPendingEvents)
      return this.refuse(event.id, new QueueFullError(this.options.maxPendingEvents));
    const submission = this.track(event);
    if (!this.spool) {
      submission.accept();
      this.batcher.add(submission, event.bytes + 1);
      return submission.pending;
    }
    const spooled = this.spool.append(event).then(
      () => {
        submission.accept();
        this.batcher.add(submission, event.bytes + 1);
      },
      (e: Error) => this.failures.warnUnheard(this.settle(submission, e)),
    );
    this.spooling.add(spooled);
    void spooled.finally(() => this.spooling.delete(spooled));
    return submission.pending;
  }

  recordAgentTask(data: CatalogEventData['agent.task.requested'], attributes?: EventAttributes): PendingReceipt {
    return this.record('agent.task.requested', data, attributes);
  }

  recordAgentAction(data: CatalogEventData['agent.action.performed'], attributes?: EventAttributes): PendingReceipt {
    return this.record('agent.action.performed', data, attributes);
  }

  recordModelInvocation(data: CatalogEventData['model.invocation.completed'], attributes?: EventAttributes): PendingReceipt {
    return this.record('model.invocation.completed', data, attributes);
  }

  recordPolicyDecision(data: CatalogEventData['policy.decision.recorded'], attributes?: EventAttributes): PendingReceipt {
    return this.record('policy.decision.recorded', data, attributes);
  }

  recordScan(data: CatalogEventData['scan.completed'], attributes?: EventAttributes): PendingReceipt {
    return this.record('scan.completed', data, attributes);
  }

  recordReview(data: CatalogEventData['review.decision.recorded'], attributes?: EventAttributes): PendingReceipt {
    return this.record('review.decision.recorded', data, attributes);
  }

  recordChangeOpened(data: CatalogEventData['change.opened'], attributes?: EventAttributes): PendingReceipt {
    return this.record('change.opened', data, attributes);
  }

  recordChangeCommitted(data: CatalogEventData['change.committed'], attributes?: EventAttributes): PendingReceipt {
    return this.record('change.committed', data, attributes);
  }

  recordChangeMerged(data: CatalogEventData['change.merged'], attributes?: EventAttributes): PendingReceipt {
    return this.record('change.merged', data, attributes);
  }

  recordDeployment(data: CatalogEventData['deployment.completed'], attributes?: EventAttributes): PendingReceipt {
    return this.record('deployment.completed', data, attributes);
  }

  recordRollback(data: CatalogEventData['deployment.rolled_back'], attributes?: EventAttributes): PendingReceipt {
    return this.record('deployment.rolled_back', data, attributes);
  }

  recordBudgetThresholdCrossed(data: CatalogEventData['budget.threshold.crossed'], attributes?: EventAttributes): PendingReceipt {
    return this.record('budget.threshold.crossed', data, attributes);
  }

  /** Management's response to a control exception; needs an admin key (the ledger refuses a producer key's). */
  recordExceptionResponse(data: CatalogEventData['exception.response.recorded'], attributes?: EventAttributes): PendingReceipt {
    return this.record('exception.response.recorded', data, attributes);
  }

  // Sends everything recorded so far without waiting for the batch interval, and resolves
  // once each of those events has its outcome. Never rejects: outcomes are per event. While
  // the ledger is unreachable and retries are unlimited (the spool's default), it waits.
  async flush(): Promise<void> {
    await Promise.allSettled([...this.spooling]);
    await this.batcher.flush();
  }

  // Stops taking events, delivers what is pending for up to `shutdownTimeoutMs`, then stops
  // retrying: events still undelivered fail with CLIENT_CLOSED (and stay in the spool, if
  // any, for the next client on it). Saves the trust state, closes the spool, stops every
  // timer. Safe to call more than once.
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    const deadline = setTimeout(
      () => this.stop.abort(new ClientClosedError(`close() gave up delivering after ${this.options.shutdownTimeoutMs} ms`, !!this.spool)),
      this.options.shutdownTimeoutMs,
    );
    try {
      await this.flush();
    } finally {
      clearTimeout(deadline);
      this.stop.abort(new ClientClosedError('the client is closed', !!this.spool));
      this.batcher.stop();
    }
    await this.trustFile?.settled();
    await this.spool?.close();
  }

  private track(event: OutgoingEvent): Submission {
    const { pending, accept, resolve, fail } = PendingReceipt.create(event.id);
    const submission: Submission = { event, pending, accept, resolve, fail };
    this.submissions.set(event.id, submission);
    return submission;
  }

  // An event an earlier process spooled: delivered like any other, with nobody awaiting it.
  private resume(event: OutgoingEvent): void {
    if (this.submissions.has(event.id)) return;
    const submission = this.track(event);
    submission.accept();
    this.batcher.add(submission, event.bytes + 1);
  }

  // The batcher's sender: deliver, note the outcome in the spool, verify, settle. Settles
  // every submission of the batch, whatever happens.
  private async deliver(batch: Submission[]): Promise<void> {
    try {
      const outcomes = await this.delivery.deliver(batch.map((s) => s.event));
      const recorded = batch.flatMap((_, i) => (outcomes[i].kind === 'recorded' ? [i] : []));
      const rejected = batch.filter((_, i) => outcomes[i].kind === 'rejected').map((s) => s.event.id);
      void this.spool?.markDelivered(recorded.map((i) => batch[i].event.id)).catch(() => undefined);
      void this.spool?.markRejected(rejected).catch(() => undefined);

      const receipts = recorded.map((i) => ({ event: batch[i].event, receipt: (outcomes[i] as RecordedOutcome).receipt }));
      const checks = this.verifier ? await this.verifier.verify(receipts) : receipts.map(() => undefined);
      const checked = new Map(recorded.map((i, k) => [i, checks[k]]));
      this.failures.warnUnheard(
        batch.flatMap((s, i) => this.settle(s, this.outcomeError(s.event.id, outcomes[i], checked.get(i)), outcomes[i])),
      );
    } catch (e) {
      this.failures.warnUnheard(batch.flatMap((s) => (this.submissions.get(s.event.id) === s ? this.settle(s, e as Error) : [])));
    }
  }

  private outcomeError(id: string, outcome: DeliveryOutcome, check: Error | undefined): Error | undefined {
    switch (outcome.kind) {
      case 'recorded':
        // The verifier checks this too; without it, a receipt for another event is still refused.
        return outcome.receipt.id === id
          ? check
          : new LedgerIntegrityError(
              'RECEIPT_MALFORMED',
              `the ledger answered event ${id} with the receipt of ${outcome.receipt.id}`,
              outcome.receipt,
            );
      case 'rejected':
        return new EventRejectedError(id, outcome.problem.code, outcome.problem.detail, outcome.violations, outcome.problem.status);
      case 'undelivered':
        return outcome.stopped
          ? new ClientClosedError(
              `event ${id} was not delivered before the client closed${this.spool ? '; it stays in the spool' : ''}`,
              !!this.spool,
            )
          : new DeliveryError(id, outcome.attempts, outcome.lastStatus, !!this.spool, outcome.cause);
    }
  }

  // Settles one submission. Returns it when no hook heard of its failure.
  private settle(s: Submission, error: Error | undefined, outcome?: DeliveryOutcome): Unheard[] {
    this.submissions.delete(s.event.id);
    if (error === undefined && outcome?.kind === 'recorded') {
      s.resolve({ ...outcome.receipt, verified: this.verifier !== undefined, alreadyRecorded: outcome.alreadyRecorded });
      return [];
    }
    const failure = error ?? new DeliveryError(s.event.id, 0, undefined, !!this.spool);
    s.fail(failure);
    return this.failures.report(failure, s.event.id) ? [] : [{ error: failure, pending: s.pending }];
  }

  private refuse(id: string | undefined, error: Error): PendingReceipt {
    this.failures.report(error, id ?? '');
    return PendingReceipt.failed(id ?? '', error);
  }
}

type RecordedOutcome = Extract<DeliveryOutcome, { kind: 'recorded' }>;
