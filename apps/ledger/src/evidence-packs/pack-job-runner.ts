import { createHash } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { ArchivedObject, ArchiveError, ArchiveStore, RetentionPolicy } from '@evidence-ledger/archive';
import { buildPackInThread, PackBuildHandle, packLock, PackRequest, TemplateCatalog } from '@evidence-ledger/evidence';
import { PackJobDocument, PackJobRecord, PackJobStore } from '@evidence-ledger/store';
import { LedgerRuntime } from '../runtime/ledger-runtime';
import { PackJobPlan, PackJobRequest, PackJobResult, toPackJob } from './pack-job';

/** Progress is written to the store at most this often (besides lease renewals). */
const PROGRESS_WRITE_MS = 1000;
/** The archive digests a zip in slices of this size, yielding to the event loop between them. */
const ARCHIVE_SLICE = 1 << 20;

export interface PackJobRunnerOptions {
  /** Who this builder is, in the store (unique per process). */
  readonly owner: string;
  /** How long a claim holds without renewal; renewed every third of it while building. */
  readonly leaseMs: number;
  /** Claims of one job after which it is failed instead of built again. */
  readonly maxAttempts: number;
  /** `LEDGER_ARCHIVE_RETENTION`: may lengthen a template's retention, never shorten it. */
  readonly retentionPolicy?: RetentionPolicy;
}

/**
 * Builds the evidence packs queued in the store, one at a time in this process, each on a
 * worker thread (`buildPackInThread`). Every instance sharing the store runs one: a claim
 * gives a job to exactly one of them, with a lease renewed while the build runs; a job whose
 * builder died (its lease ran out) is taken over by whichever instance claims next, and
 * failed with the reason once it has been interrupted `maxAttempts` times.
 */
export class PackJobRunner {
  private readonly logger = new Logger('evidence-packs');
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private closed = false;
  private current?: { readonly id: string; handle?: PackBuildHandle; progress: number };

  constructor(
    private readonly jobs: PackJobStore,
    private readonly archive: ArchiveStore,
    private readonly templates: TemplateCatalog,
    private readonly runtime: LedgerRuntime,
    private readonly options: PackJobRunnerOptions,
  ) {}

  /** Claims at once (jobs a dead process left), then whenever woken and every poll interval. */
  start(): void {
    this.timer = setInterval(() => this.wake(), Math.min(2000, Math.max(100, this.options.leaseMs / 3)));
    this.timer.unref();
    this.wake();
  }

  /** Looks for work now (a job was just queued). */
  wake(): void {
    if (this.closed) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain().finally(() => (this.draining = undefined));
  }

  /**
   * Stops claiming; a build in progress is stopped and handed back (its lease ended now), so
   * another instance — or this one after a restart — takes it over at once.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.current?.handle?.stop();
    await this.draining;
  }

  private async drain(): Promise<void> {
    while (!this.closed) {
      this.again = false;
      const now = Date.now();
      let job: PackJobRecord | undefined;
      try {
        job = await this.jobs.claim(this.options.owner, now, now + this.options.leaseMs);
      } catch (e) {
        this.logger.warn({ err: e }, 'could not look for evidence packs to build');
        return;
      }
      if (!job) {
        if (this.again) continue;
        return;
      }
      await this.run(job);
    }
  }

  private async run(job: PackJobRecord): Promise<void> {
    const { owner, leaseMs, maxAttempts } = this.options;
    const current: { id: string; handle?: PackBuildHandle; progress: number } = { id: job.id, progress: job.progress };
    this.current = current;
    let lost = false;
    let ended = false;
    let lastWrite = Date.now();
    // Renewals run one after another, and none after the job's last write (a hand-back must
    // not be overtaken by a renewal that extends the lease again).
    let renewals: Promise<void> = Promise.resolve();
    const renew = (plan?: PackJobPlan): Promise<void> =>
      (renewals = renewals
        .catch(() => undefined)
        .then(async () => {
          if (ended) return;
          lastWrite = Date.now();
          const kept = await this.jobs.renew(job.id, owner, {
            leaseUntil: Date.now() + leaseMs,
            progress: current.progress,
            ...(plan ? { plan: plan as unknown as PackJobDocument } : {}),
          });
          if (!kept && !lost) {
            lost = true;
            this.logger.warn({ id: job.id }, 'another instance took this evidence pack over; stopping its build here');
            await current.handle?.stop();
          }
        }));
    const heartbeat = setInterval(() => void renew().catch(() => undefined), leaseMs / 3);
    heartbeat.unref();
    const end = async (): Promise<void> => {
      ended = true;
      clearInterval(heartbeat);
      await renewals.catch(() => undefined);
    };
    try {
      if (job.attempts > maxAttempts) {
        throw new Error(
          `the build was interrupted ${maxAttempts} times (the instance building it stopped each time); order the pack again`,
        );
      }
      if (job.attempts > 1) this.logger.log({ id: job.id, attempt: job.attempts }, 'resuming an interrupted evidence pack');
      const template = this.templates.get(job.framework);
      if (!template) throw new Error(`this instance has no template for framework ${job.framework}`);
      const plan = (job.plan as unknown as PackJobPlan | undefined) ?? (await this.plan(job, template));
      if (!job.plan) await renew(plan);
      if (lost) return;
      if (this.closed) return await end().then(() => this.handBack(job.id, current.progress));
      const request = job.request as unknown as PackJobRequest;
      const packRequest: PackRequest = {
        tenant: job.tenant,
        framework: job.framework,
        from: request.from,
        to: request.to,
        repositories: request.scope.repositories,
      };
      current.handle = buildPackInThread(
        {
          store: this.runtime.config.store,
          originPrefix: this.runtime.config.originPrefix,
          request: packRequest,
          template,
          treeSize: plan.treeSize,
          ...(plan.previous ? { previous: plan.previous } : {}),
          retention: plan.retention,
        },
        this.runtime.ledger.signingKey,
        (fraction) => {
          current.progress = Math.min(95, Math.round(fraction * 95));
          if (Date.now() - lastWrite >= PROGRESS_WRITE_MS) void renew().catch(() => undefined);
        },
      );
      const built = await current.handle.result;
      current.handle = undefined;
      const retainUntil = new Date(plan.retainUntil);
      const stored = await this.storeOnce(packKey(job, 'zip'), built.zip, retainUntil, 'application/zip');
      const result: PackJobResult = {
        checkpoint: built.checkpoint,
        sha256: stored.sha256,
        size: stored.size,
        locked: plan.retention.locked,
        ...(plan.retention.locked ? { retainUntil: plan.retainUntil } : {}),
        summary: built.summary,
      };
      await end();
      if (lost) return;
      const record = toPackJob({ ...job, status: 'ready', progress: 100, result: result as unknown as PackJobDocument });
      await this.storeOnce(packKey(job, 'json'), Buffer.from(JSON.stringify(record)), retainUntil, 'application/json', false);
      if (!(await this.jobs.finish(job.id, owner, { status: 'ready', result: result as unknown as PackJobDocument })))
        this.logger.warn({ id: job.id }, 'an evidence pack was built after another instance took it over');
    } catch (e) {
      await end();
      if (lost) return;
      if (this.closed) return await this.handBack(job.id, current.progress);
      this.logger.error({ id: job.id, err: e }, 'building an evidence pack failed');
      await this.jobs
        .finish(job.id, owner, { status: 'failed', error: (e as Error).message })
        .catch((err: unknown) => this.logger.error({ id: job.id, err }, 'could not record a failed evidence pack'));
    } finally {
      await end();
      this.current = undefined;
    }
  }

  // Ends this instance's lease now, so the job is claimed again without waiting for it to run out.
  private async handBack(id: string, progress: number): Promise<void> {
    await this.jobs
      .renew(id, this.options.owner, { leaseUntil: 0, progress })
      .catch((e: unknown) => this.logger.warn({ id, err: e }, 'could not hand an evidence pack back'));
  }

  // Fixed once, before the first build: the checkpoint to prove against and the previous
  // pack's, so a build resumed elsewhere makes the same bytes as the one interrupted.
  private async plan(job: PackJobRecord, template: NonNullable<ReturnType<TemplateCatalog['get']>>): Promise<PackJobPlan> {
    const checkpoint = await this.runtime.ledger.latestCheckpoint(job.tenant);
    if (!checkpoint) throw new Error(`tenant ${job.tenant} has no entries yet`);
    const previous = (await this.jobs.latestReady(job.tenant, job.framework, job.id))?.result as unknown as PackJobResult | undefined;
    const { retainUntil, retention } = packLock(template, this.archive, this.options.retentionPolicy, new Date());
    return {
      treeSize: checkpoint.treeSize,
      ...(previous ? { previous: previous.checkpoint } : {}),
      retention,
      retainUntil: retainUntil.toISOString(),
    };
  }

  // Archives write once. A build resumed after its first attempt stored the zip finds it
  // there: the same bytes (the plan fixed them) are that object; different bytes are an error.
  private async storeOnce(key: string, bytes: Buffer, retainUntil: Date, contentType: string, sameBytes = true): Promise<ArchivedObject> {
    try {
      return await this.archive.put(key, slices(bytes), { retainUntil, contentType });
    } catch (e) {
      if (!(e instanceof ArchiveError) || e.code !== 'OBJECT_EXISTS') throw e;
      const existing = await this.archive.head(key);
      if (!existing) throw e;
      if (sameBytes && (existing.size !== bytes.length || existing.sha256 !== (await sha256InSlices(bytes))))
        throw new Error(`the archive already holds a different ${key}`);
      return existing;
    }
  }
}

// The zip in slices, with a turn of the event loop between them: the archive digests what
// it stores, and a few hundred MiB hashed in one call would hold the loop for as long.
async function* slices(bytes: Buffer): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += ARCHIVE_SLICE) {
    yield bytes.subarray(at, at + ARCHIVE_SLICE);
    await yieldToLoop();
  }
}

async function sha256InSlices(bytes: Buffer): Promise<string> {
  const hash = createHash('sha256');
  for await (const slice of slices(bytes)) hash.update(slice);
  return hash.digest('hex');
}

export function packKey(job: { tenant: string; framework: string; id: string }, ext: 'zip' | 'json'): string {
  return `evidence-packs/${job.tenant}/${job.framework}/${job.id}.${ext}`;
}
