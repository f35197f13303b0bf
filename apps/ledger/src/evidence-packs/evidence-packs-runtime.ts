import { Readable } from 'node:stream';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { uuidv7 } from '@evidence-ledger/core';
import {
  BUILT_IN_TEMPLATES_DIR,
  buildEvidencePack,
  PackCheckpointRef,
  packLock,
  PackRequest,
  TemplateCatalog,
} from '@evidence-ledger/ledger';
import { ArchiveStore, openArchive, parseRetentionPolicy, RetentionPolicy } from '@evidence-ledger/store';
import { LedgerRuntime } from '../runtime/ledger-runtime';
import { HttpProblem } from '../http/http-problem';

export type PackStatus = 'queued' | 'building' | 'ready' | 'failed';

/** What `GET /v1/evidence-packs/:id` answers. */
export interface PackJob {
  readonly id: string;
  readonly tenant: string;
  readonly framework: string;
  readonly from: string;
  readonly to: string;
  readonly scope: { readonly repositories: readonly string[] };
  status: PackStatus;
  /** 0–100. */
  progress: number;
  error?: string;
  /** Set when ready. */
  checkpoint?: PackCheckpointRef;
  sha256?: string;
  size?: number;
  /** Set when ready and only when the archive enforces it (S3 Object Lock). */
  retainUntil?: string;
  /** Whether the archive locks the pack: a directory archive does not, and no retention is claimed. */
  locked?: boolean;
  summary?: {
    controls: number;
    satisfied: number;
    notSatisfied: number;
    notTested: number;
    notApplicable: number;
    exceptions: number;
    lateEntries: number;
  };
}
const MAX_PENDING_PER_TENANT = 4;

/**
 * Evidence packs of the running service: built in the background, one at a time, in this
 * process; stored write-once in the archive (`LEDGER_ARCHIVE`) under
 * `evidence-packs/<tenant>/<framework>/<id>.zip`, retained as long as the template says,
 * with a `<id>.json` status record beside it so a pack is found again after a restart.
 */
@Injectable()
export class EvidencePacksRuntime implements BeforeApplicationShutdown {
  private readonly logger = new Logger('evidence-packs');
  private readonly jobs = new Map<string, PackJob>();
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly runtime: LedgerRuntime,
    readonly templates: TemplateCatalog,
    private readonly archive: ArchiveStore,
    /** `LEDGER_ARCHIVE_RETENTION`: may lengthen a template's retention, never shorten it. */
    private readonly retentionPolicy?: RetentionPolicy,
  ) {}

  static async start(runtime: LedgerRuntime, env: NodeJS.ProcessEnv = process.env): Promise<EvidencePacksRuntime> {
    const templates = TemplateCatalog.fromEnvironment(env);
    const policyText = env.LEDGER_ARCHIVE_RETENTION?.trim();
    const policy = policyText ? parseRetentionPolicy(policyText) : undefined;
    const archive = await openArchive(env.LEDGER_ARCHIVE?.trim() || undefined, { env });
    const logger = new Logger('evidence-packs');
    if (templates.frameworks().length === 0)
      logger.warn(`no evidence templates found (${BUILT_IN_TEMPLATES_DIR}, LEDGER_TEMPLATES_DIR); packs are off`);
    else logger.log(`frameworks ${templates.frameworks().join(', ')}; packs archived in ${archive.location}`);
    return new EvidencePacksRuntime(runtime, templates, archive, policy);
  }

  /**
   * Queues a pack and returns its job at once (202). A tenant may have at most
   * MAX_PENDING_PER_TENANT packs waiting or building: each takes seconds of CPU, so a flood of
   * requests is refused (429) instead of queued without end.
   */
  submit(request: PackRequest): PackJob {
    const pending = [...this.jobs.values()].filter(
      (j) => j.tenant === request.tenant && (j.status === 'queued' || j.status === 'building'),
    );
    if (pending.length >= MAX_PENDING_PER_TENANT) {
      throw new HttpProblem(
        429,
        'PACK_QUEUE_FULL',
        `${pending.length} evidence packs of this tenant are already queued or building; retry when one is ready`,
      );
    }
    const job: PackJob = {
      id: uuidv7(),
      tenant: request.tenant,
      framework: request.framework,
      from: request.from,
      to: request.to,
      scope: { repositories: request.repositories },
      status: 'queued',
      progress: 0,
    };
    this.jobs.set(job.id, job);
    this.queue = this.queue.then(() => this.build(job, request));
    return job;
  }

  /** The tenant's pack by id; another tenant's pack is not found. */
  async find(tenant: string, id: string): Promise<PackJob | undefined> {
    const known = this.jobs.get(id);
    if (known) return known.tenant === tenant ? known : undefined;
    for await (const item of this.archive.list(`evidence-packs/${tenant}/`)) {
      if (!item.key.endsWith(`/${id}.json`)) continue;
      const record = await this.readRecord(item.key);
      if (record?.tenant === tenant) return record;
    }
    return undefined;
  }

  /** The zip of a ready pack, streamed from the archive (checked against its recorded SHA-256). */
  async download(job: PackJob): Promise<{ body: Readable; size: number }> {
    const { body, object } = await this.archive.get(packKey(job, 'zip'));
    return { body: Readable.from(body), size: object.size };
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.queue;
    await this.archive.close();
  }

  private async build(job: PackJob, request: PackRequest): Promise<void> {
    const template = this.templates.get(request.framework);
    if (!template) return;
    try {
      job.status = 'building';
      const previous = await this.previousCheckpoint(job);
      const { retainUntil, retention } = packLock(template, this.archive, this.retentionPolicy, new Date());
      const pack = await buildEvidencePack(this.runtime.ledger, request, {
        template,
        ...(previous ? { previous } : {}),
        retention,
        onProgress: (f) => (job.progress = Math.min(95, Math.round(f * 95))),
      });
      const stored = await this.archive.put(packKey(job, 'zip'), pack.zip, { retainUntil, contentType: 'application/zip' });
      Object.assign(job, {
        status: 'ready',
        progress: 100,
        checkpoint: pack.manifest.checkpoint,
        sha256: stored.sha256,
        size: stored.size,
        locked: retention.locked,
        ...(retention.locked ? { retainUntil: retainUntil.toISOString() } : {}),
        summary: pack.controls.summary,
      });
      await this.archive.put(packKey(job, 'json'), Buffer.from(JSON.stringify(job)), { retainUntil, contentType: 'application/json' });
    } catch (e) {
      job.status = 'failed';
      job.error = (e as Error).message;
      this.logger.error({ id: job.id, err: e }, 'building an evidence pack failed');
    }
  }

  // The checkpoint of the newest ready pack of the same tenant and framework, so the new pack
  // proves the log was not rewritten since. Pack ids are UUIDv7: key order is time order.
  private async previousCheckpoint(job: PackJob): Promise<PackCheckpointRef | undefined> {
    let latest: PackJob | undefined;
    for await (const item of this.archive.list(`evidence-packs/${job.tenant}/${job.framework}/`)) {
      if (!item.key.endsWith('.json')) continue;
      const record = await this.readRecord(item.key);
      if (record?.status === 'ready' && record.checkpoint && record.id < job.id) latest = record;
    }
    return latest?.checkpoint;
  }

  private async readRecord(key: string): Promise<PackJob | undefined> {
    const { body } = await this.archive.get(key);
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as PackJob;
  }
}

function packKey(job: Pick<PackJob, 'tenant' | 'framework' | 'id'>, ext: 'zip' | 'json'): string {
  return `evidence-packs/${job.tenant}/${job.framework}/${job.id}.${ext}`;
}

export const evidencePacksRuntimeProvider = {
  provide: EvidencePacksRuntime,
  inject: [LedgerRuntime],
  useFactory: (runtime: LedgerRuntime) => EvidencePacksRuntime.start(runtime),
};
