import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { LedgerError } from '@evidence-ledger/core';
import { ForensicsProjection, ForensicsReader, ProjectionHost } from '@evidence-ledger/forensics';
import { hasForensicsStore } from '@evidence-ledger/store';
import { MetricsRegistry } from '../metrics/metrics.registry';
import { LedgerRuntime } from '../runtime/ledger-runtime';

/**
 * Forensics in the running service: the projection host that keeps every tenant's
 * forensics tables following its log (started at boot, before requests are served, and
 * stopped — its current batches finished — before the store closes), and the reader the
 * forensic queries use. A store that cannot hold forensics tables leaves the forensic routes
 * answering 503 and the rest of the service running.
 */
@Injectable()
export class ForensicsRuntime implements BeforeApplicationShutdown {
  private readonly logger = new Logger('forensics');

  private constructor(
    private readonly host?: ProjectionHost,
    private readonly forensics?: ForensicsReader,
  ) {}

  get reader(): ForensicsReader {
    if (!this.forensics)
      throw new LedgerError('STORE_UNAVAILABLE', 'this store cannot hold forensics tables: forensic queries need SQLite or PostgreSQL');
    return this.forensics;
  }

  static async start(
    runtime: LedgerRuntime,
    metrics: MetricsRegistry,
    pollIntervalMs = runtime.config.forensicsPollMs,
  ): Promise<ForensicsRuntime> {
    const logger = new Logger('forensics');
    if (!hasForensicsStore(runtime.store)) {
      logger.warn(`the ${runtime.store.kind} store cannot hold forensics tables; timelines, exceptions and inventory are off`);
      return new ForensicsRuntime();
    }
    const tables = runtime.store.forensicsStore();
    const host: ProjectionHost = new ProjectionHost({
      ledgerStore: runtime.store,
      forensicsStore: tables,
      projections: [new ForensicsProjection()],
      pollIntervalMs,
      onStep: (_tenant, step) => {
        metrics.forensicsApplied.inc(step.applied);
        metrics.forensicsLag.set(host.totalLag());
      },
      onError: (tenant, error) => {
        metrics.forensicsLag.set(host.totalLag());
        logger.error({ tenant, code: (error as { code?: string }).code, err: error }, 'projecting the log failed; retrying');
      },
    });
    await host.start();
    return new ForensicsRuntime(host, new ForensicsReader(runtime.store, tables));
  }

  /** Projects `tenant`'s new entries now rather than at the next poll (see EntriesAppendedEvent). */
  notify(tenant: string): void {
    this.host?.notify(tenant);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.logger.log('stopping the projection host');
    await this.host?.stop();
  }
}

export const forensicsRuntimeProvider = {
  provide: ForensicsRuntime,
  inject: [LedgerRuntime, MetricsRegistry],
  useFactory: (runtime: LedgerRuntime, metrics: MetricsRegistry) => ForensicsRuntime.start(runtime, metrics),
};
