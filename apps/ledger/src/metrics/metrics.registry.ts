import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics, exposed at `/metrics`. Never labelled by payload content
 * or tenant, so a scrape reveals nothing about who uses the ledger.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  readonly eventsAppended = new Counter({
    name: 'ledger_events_appended_total',
    help: 'Events durably appended to a tenant log',
    registers: [this.registry],
  });

  readonly eventsDuplicate = new Counter({
    name: 'ledger_events_duplicate_total',
    help: 'Retried events answered with their original receipt',
    registers: [this.registry],
  });

  readonly commitEvents = new Histogram({
    name: 'ledger_commit_batch_events',
    help: 'Events per committed transaction (group commit)',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
    registers: [this.registry],
  });

  readonly commitSeconds = new Histogram({
    name: 'ledger_commit_duration_seconds',
    help: 'Time to sequence, hash, write and sign one batch',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly requestSeconds = new Histogram({
    name: 'ledger_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly errors = new Counter({
    name: 'ledger_errors_total',
    help: 'Requests answered with a problem, by problem code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  // The metric names keep their first wording: dashboards and alerts query them by name.
  readonly forensicsLag = new Gauge({
    name: 'ledger_projection_lag_entries',
    help: 'Entries appended but not yet applied to the forensics tables, summed over tenants',
    registers: [this.registry],
  });

  readonly forensicsApplied = new Counter({
    name: 'ledger_projection_entries_applied_total',
    help: 'Log entries applied to the forensics tables (catch-up and live)',
    registers: [this.registry],
  });

  readonly appendFailures = new Counter({
    name: 'ledger_append_failures_total',
    help: 'Group commits the store failed (every request in them refused), by error code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  private appendHealth?: () => { healthy: boolean; recentCommits: number; recentFailures: number };

  readonly appendsHealthy: Gauge = new Gauge({
    name: 'ledger_appends_healthy',
    help: '1 while at most half of the recent commits failed (as /health reports), else 0',
    registers: [this.registry],
    collect: (): void => this.appendsHealthy.set(this.appendHealth?.().healthy === false ? 0 : 1),
  });

  readonly recentAppendFailures: Gauge = new Gauge({
    name: 'ledger_recent_append_failures',
    help: 'Failed commits among the recent ones /health looks at',
    registers: [this.registry],
    collect: (): void => this.recentAppendFailures.set(this.appendHealth?.().recentFailures ?? 0),
  });

  /** Where the append gauges read from (the runtime's AppendHealth). */
  watchAppendHealth(report: () => { healthy: boolean; recentCommits: number; recentFailures: number }): void {
    this.appendHealth = report;
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ledger_process_' });
  }
}
