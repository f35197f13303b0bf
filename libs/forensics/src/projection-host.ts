import { LedgerStore, ForensicsStore } from '@evidence-ledger/store';
import { Projection } from './projection';
import { ProjectionRunner, StepResult } from './projection-runner';

export interface ProjectionHostOptions {
  /** The log: its tenants and heads. */
  readonly ledgerStore: LedgerStore;
  /** The forensics tables, in the same database. */
  readonly forensicsStore: ForensicsStore;
  readonly projections: readonly Projection[];
  /** How often an idle tenant's head is checked for new entries (default 200 ms). */
  readonly pollIntervalMs?: number;
  /** How often the store is asked for tenants it has not seen yet (default 2 s). */
  readonly tenantScanIntervalMs?: number;
  readonly batchSize?: number;
  /** A failed step; the tenant is retried after `retryDelayMs` (default 1 s). */
  readonly onError?: (tenant: string, error: unknown) => void;
  readonly onStep?: (tenant: string, step: StepResult, lag: number) => void;
  readonly retryDelayMs?: number;
}

/** Where one tenant's forensics tables stand. */
export interface TenantProjectionStatus {
  readonly tenant: string;
  /** Entries applied (the lowest position of the projections). */
  readonly position: number;
  /** Entries in the log when last checked. */
  readonly treeSize: number;
  readonly lag: number;
}

/**
 * Keeps every tenant's forensics tables following its log, live: one loop per tenant that
 * catches up batch by batch, then checks the tenant's head every `pollIntervalMs` (cheap:
 * one indexed read) and projects whatever was appended — by this process, another service
 * instance on the same database, or the CLI. `notify` (after a commit of this process) skips
 * the wait, so the service's own appends are projected at once; the poll remains the fallback
 * for what other processes write, and for a notification that arrives mid-step (it is kept
 * and the loop goes round again instead of sleeping).
 * `stop` lets each loop finish the batch it is in (committed or rolled back whole) and
 * returns once all have ended.
 */
export class ProjectionHost {
  private readonly loops = new Map<string, { runner: ProjectionRunner; done: Promise<void>; status?: TenantProjectionStatus }>();
  private readonly wakers = new Map<string, () => void>();
  /** Tenants notified since their loop last read the head: the next sleep is skipped. */
  private readonly notified = new Set<string>();
  /** Tenants waiting out `retryDelayMs` after a failed step: a notification does not cut it short. */
  private readonly retrying = new Set<string>();
  private stopped = true;
  private scan?: Promise<void>;
  private wakeScan?: () => void;

  constructor(private readonly options: ProjectionHostOptions) {}

  async start(): Promise<void> {
    const { forensicsStore, projections } = this.options;
    await forensicsStore.migrate({ tables: projections.flatMap((p) => p.tables) });
    this.stopped = false;
    await this.discoverTenants();
    this.scan = this.scanLoop();
  }

  /** Wakes a tenant's loop (starting one for a tenant not seen yet) after a commit. */
  notify(tenant: string): void {
    if (this.stopped) return;
    if (!this.loops.has(tenant)) this.startTenant(tenant);
    this.notified.add(tenant);
    if (!this.retrying.has(tenant)) this.wakers.get(tenant)?.();
  }

  status(): TenantProjectionStatus[] {
    return [...this.loops.values()].flatMap((l) => (l.status ? [l.status] : [])).sort((a, b) => (a.tenant < b.tenant ? -1 : 1));
  }

  /** Entries appended but not yet projected, over every tenant. */
  totalLag(): number {
    return this.status().reduce((sum, s) => sum + s.lag, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeScan?.();
    for (const wake of this.wakers.values()) wake();
    await this.scan;
    await Promise.all([...this.loops.values()].map((l) => l.done));
  }

  private async scanLoop(): Promise<void> {
    while (!this.stopped) {
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, this.options.tenantScanIntervalMs ?? 2000);
        this.wakeScan = () => {
          clearTimeout(timer);
          wake();
        };
      });
      if (!this.stopped) await this.discoverTenants().catch((e) => this.options.onError?.('*', e));
    }
  }

  private async discoverTenants(): Promise<void> {
    for (const tenant of await this.options.ledgerStore.tenants()) if (!this.loops.has(tenant)) this.startTenant(tenant);
  }

  private startTenant(tenant: string): void {
    const runner = new ProjectionRunner({
      store: this.options.forensicsStore,
      tenant,
      projections: this.options.projections,
      batchSize: this.options.batchSize,
    });
    const loop: { runner: ProjectionRunner; done: Promise<void>; status?: TenantProjectionStatus } = { runner, done: Promise.resolve() };
    this.loops.set(tenant, loop);
    loop.done = this.follow(tenant, loop);
  }

  private async follow(tenant: string, loop: { runner: ProjectionRunner; status?: TenantProjectionStatus }): Promise<void> {
    const { ledgerStore, onError, onStep } = this.options;
    while (!this.stopped) {
      let wait = this.options.pollIntervalMs ?? 200;
      let failed = false;
      // Cleared before the head is read: a commit notified after this point is seen next round.
      this.notified.delete(tenant);
      try {
        const { treeSize } = await ledgerStore.head(tenant);
        const known = loop.runner.position;
        if (loop.status) loop.status = { ...loop.status, treeSize, lag: Math.max(0, treeSize - loop.status.position) };
        if (known === undefined || treeSize > known) {
          const step = await loop.runner.step();
          const lag = Math.max(0, treeSize - step.position);
          loop.status = { tenant, position: step.position, treeSize: Math.max(treeSize, step.position), lag };
          onStep?.(tenant, step, lag);
          if (!step.caughtUp) wait = 0;
        } else {
          loop.status = { tenant, position: known, treeSize, lag: 0 };
        }
      } catch (e) {
        // STORE_CONFLICT: another process holds this tenant's forensics lock and is doing the work.
        if ((e as { code?: string }).code !== 'STORE_CONFLICT') onError?.(tenant, e);
        wait = this.options.retryDelayMs ?? 1000;
        failed = true;
      }
      if (wait > 0 && !this.stopped) await this.sleep(tenant, wait, failed);
    }
  }

  // A poll wait ends early on a notification (or at once if one came during the step); a retry
  // wait after a failure does not, so a failing store is not retried on every commit.
  private sleep(tenant: string, ms: number, retry: boolean): Promise<void> {
    if (!retry && this.notified.has(tenant)) return Promise.resolve();
    if (retry) this.retrying.add(tenant);
    const retrying = this.retrying;
    return new Promise((wake) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        retrying.delete(tenant);
        wake();
      }
      this.wakers.set(tenant, done);
    });
  }
}
