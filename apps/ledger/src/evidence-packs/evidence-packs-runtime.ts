import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Readable } from 'node:stream';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { uuidv7 } from '@evidence-ledger/core';
import { ArchiveStore, openArchive } from '@evidence-ledger/archive';
import { BUILT_IN_TEMPLATES_DIR, PackRequest, TemplateCatalog } from '@evidence-ledger/evidence';
import { PackJobQuery, PackJobStore, packJobStoreOf } from '@evidence-ledger/store';
import { LedgerRuntime } from '../runtime/ledger-runtime';
import { HttpProblem } from '../http/http-problem';
import { PackJob, PackJobRequest, toPackJob } from './pack-job';
import { packKey, PackJobRunner } from './pack-job-runner';

export type { PackJob, PackStatus } from './pack-job';

const MAX_PENDING_PER_TENANT = 4;
/** Claims of one job before it is failed: a pack that stops its builder every time is not tried for ever. */
const MAX_ATTEMPTS = 3;

/** A page of the tenant's packs, in the order they were ordered. */
export interface PackPage {
  readonly packs: PackJob[];
  readonly next?: string;
}

/**
 * Evidence packs of the running service. Jobs live in the store (the PackJobStore port), so
 * every instance sharing it answers for every pack and a pack accepted before a crash is
 * built after it; the builder (pack-job-runner.ts) claims them one at a time and builds each
 * on a worker thread. A ready pack is stored write-once in the archive (`LEDGER_ARCHIVE`)
 * under `evidence-packs/<tenant>/<framework>/<id>.zip`, retained as long as the template
 * says (`LEDGER_ARCHIVE_RETENTION` may lengthen it, never shorten it), with a `<id>.json`
 * status record beside it.
 */
@Injectable()
export class EvidencePacksRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private lastId = 0;

  private constructor(
    readonly templates: TemplateCatalog,
    private readonly jobs: PackJobStore,
    private readonly archive: ArchiveStore,
    private readonly runner: PackJobRunner,
  ) {}

  static async start(runtime: LedgerRuntime): Promise<EvidencePacksRuntime> {
    const { config } = runtime;
    const templates = TemplateCatalog.standard(config.templatesDir);
    const retentionPolicy = config.archiveRetention;
    const archive = await openArchive(config.archive);
    const logger = new Logger('evidence-packs');
    if (templates.frameworks().length === 0)
      logger.warn(`no evidence templates found (${BUILT_IN_TEMPLATES_DIR}, LEDGER_TEMPLATES_DIR); packs are off`);
    else logger.log(`frameworks ${templates.frameworks().join(', ')}; packs archived in ${archive.location}`);
    const jobs = packJobStoreOf(runtime.store);
    const runner = new PackJobRunner(jobs, archive, templates, runtime, {
      owner: `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`,
      leaseMs: runtime.config.packLeaseSeconds * 1000,
      maxAttempts: MAX_ATTEMPTS,
      ...(retentionPolicy ? { retentionPolicy } : {}),
    });
    return new EvidencePacksRuntime(templates, jobs, archive, runner);
  }

  // Once the service is up: jobs a stopped instance left queued or building are taken over.
  onApplicationBootstrap(): void {
    this.runner.start();
  }

  /**
   * Queues a pack and returns its job at once (202). A tenant may have at most
   * MAX_PENDING_PER_TENANT packs waiting or building, across every instance: each takes
   * seconds of CPU, so a flood of requests is refused (429) instead of queued without end.
   */
  async submit(request: PackRequest): Promise<PackJob> {
    const detail: PackJobRequest = { from: request.from, to: request.to, scope: { repositories: [...request.repositories] } };
    const job = { id: this.nextId(), tenant: request.tenant, framework: request.framework, createdAt: new Date().toISOString() };
    const outcome = await this.jobs.enqueue({ ...job, request: { ...detail } }, MAX_PENDING_PER_TENANT);
    if (!outcome.accepted) {
      throw new HttpProblem(
        429,
        'PACK_QUEUE_FULL',
        `${outcome.pending} evidence packs of this tenant are already queued or building; retry when one is ready`,
      );
    }
    this.runner.wake();
    return { ...job, ...detail, status: 'queued', progress: 0, updatedAt: job.createdAt };
  }

  /** The tenant's pack by id; another tenant's pack is not found. */
  async find(tenant: string, id: string): Promise<PackJob | undefined> {
    const record = await this.jobs.find(tenant, id);
    return record ? toPackJob(record) : this.findArchived(tenant, id);
  }

  async list(tenant: string, query: PackJobQuery): Promise<PackPage> {
    const page = await this.jobs.list(tenant, query);
    return { packs: page.jobs.map(toPackJob), ...(page.next ? { next: page.next } : {}) };
  }

  /** The zip of a ready pack, streamed from the archive (checked against its recorded SHA-256). */
  async download(job: PackJob): Promise<{ body: Readable; size: number }> {
    const { body, object } = await this.archive.get(packKey(job, 'zip'));
    return { body: Readable.from(body), size: object.size };
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.close();
    await this.archive.close();
  }

  // A pack built before jobs were kept in the store is known only by the status record beside
  // its zip in the archive; it is still found (not listed) by its id.
  private async findArchived(tenant: string, id: string): Promise<PackJob | undefined> {
    for await (const item of this.archive.list(`evidence-packs/${tenant}/`)) {
      if (!item.key.endsWith(`/${id}.json`)) continue;
      const { body } = await this.archive.get(item.key);
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(c);
      const record = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<PackJob, 'createdAt' | 'updatedAt'>;
      if (record.tenant !== tenant || record.id !== id) return undefined;
      // A UUIDv7 starts with its creation time in milliseconds.
      const createdAt = new Date(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toISOString();
      return { createdAt, updatedAt: createdAt, ...record };
    }
    return undefined;
  }

  // UUIDv7 ids that increase within this process even inside one millisecond, so the jobs
  // one instance queues list and build in the order they were asked for.
  private nextId(): string {
    this.lastId = Math.max(Date.now(), this.lastId + 1);
    return uuidv7(this.lastId);
  }
}

export const evidencePacksRuntimeProvider = {
  provide: EvidencePacksRuntime,
  inject: [LedgerRuntime],
  useFactory: (runtime: LedgerRuntime) => EvidencePacksRuntime.start(runtime),
};
