/**
 * What each measurement is compared with, and the targets from docs/design.md "Performance
 * targets". Benchmarks only measure; this file alone decides what passes.
 */

/** A bound on a row's result (`value`) or on its ratio to its baseline (`ratio`). */
export interface Target {
  readonly on: 'value' | 'ratio';
  readonly min?: number;
  readonly max?: number;
}

/** A table row that divides one measurement by another, both taken from the same run. */
export interface Comparison {
  readonly id: string;
  readonly name: string;
  readonly subject: string;
  readonly baseline: string;
  readonly targets: readonly Target[];
}

const atLeast = (min: number): Target => ({ on: 'value', min });
const atMost = (max: number): Target => ({ on: 'value', max });
const ratioAtLeast = (min: number): Target => ({ on: 'ratio', min });

/** Measurement id → the id of the baseline it is divided by (ratio = measurement / baseline). */
export const BASELINES: Readonly<Record<string, string>> = {
  // Ledger on SQLite vs prepared INSERTs of the same rows, one transaction per batch.
  'sqlite.ledger.b1': 'sqlite.raw.b1',
  'sqlite.ledger.b100': 'sqlite.raw.b100',
  'sqlite.ledger.b1000': 'sqlite.raw.b1000',
  // 32 writers without group commit can do no better than one transaction per event.
  'sqlite.ledger.c32': 'sqlite.raw.b1',
  'sqlite.ledger.build': 'sqlite.raw.b1000',
  // Ledger on PostgreSQL vs multi-row INSERTs of the same rows.
  'postgres.ledger.b1': 'postgres.insert.b1',
  'postgres.ledger.b100': 'postgres.insert.b100',
  'postgres.ledger.b1000': 'postgres.insert.b1000',
  'postgres.ledger.c16': 'postgres.insert.c16',
  'postgres.ledger.c32': 'postgres.insert.c32',
  'postgres.copy.b100': 'postgres.insert.b100',
  'postgres.copy.b1000': 'postgres.insert.b1000',
  // Verification vs reading the same entries and hashing each one once.
  'verify.sqlite': 'verify.read-sha256',
  'verify.read-sha256': 'verify.sha256',
  // Canonicalizing and signing are reference lines: compared with the machine's measured limits.
  // Over HTTP vs the same append in process (when measured in the same run): what HTTP, Nest
  // and the client add. The HTTP batches come from 4 concurrent clients, the in-process ones
  // from one caller.
  'http.batched.sqlite.b1000': 'sqlite.ledger.b1000',
  'http.batched.sqlite.b100': 'sqlite.ledger.b100',
  'http.single.sqlite.c32': 'sqlite.ledger.c32',
  'http.batched.postgres.b1000': 'postgres.ledger.b1000',
  'http.batched.postgres.b100': 'postgres.ledger.b100',
  'http.single.postgres.c32': 'postgres.ledger.c32',
  // The last seconds of a minute of steady single-event load from one key vs its first seconds.
  'http.sustained.sqlite.last': 'http.sustained.sqlite.first',
  // Projection catch-up vs reading the same entries in order.
  'projection.catchup.sqlite': 'projection.read.sqlite',
  'projection.catchup.sqlite.b5000': 'projection.read.sqlite',
};

export const TARGETS: Readonly<Record<string, readonly Target[]>> = {
  'sqlite.ledger.b1000': [atLeast(60_000)],
  'postgres.ledger.b100': [ratioAtLeast(0.6)],
  'postgres.ledger.b1000': [atLeast(40_000), ratioAtLeast(0.6)],
  'verify.sqlite': [atLeast(150_000)],
  'verify.sqlite.rss': [atMost(200)],
  'proof.sqlite.p99': [atMost(1)],
  'proof.postgres.p99': [atMost(1)],
  // Over HTTP (docs/design.md): ≥ 25k ev/s batched (1000 per request), ≥ 8k req/s single-event
  // with 32 concurrent clients, p50 ≤ 2 ms and p99 ≤ 10 ms at 5k ev/s — on each store.
  'http.batched.sqlite.b1000': [atLeast(25_000)],
  'http.batched.postgres.b1000': [atLeast(25_000)],
  'http.single.sqlite.c32': [atLeast(8000)],
  'http.single.postgres.c32': [atLeast(8000)],
  'http.latency.sqlite.p50': [atMost(2)],
  'http.latency.sqlite.p99': [atMost(10)],
  'http.latency.postgres.p50': [atMost(2)],
  'http.latency.postgres.p99': [atMost(10)],
  // Timeline of one change among 1M entries (docs/design.md), with an inclusion proof per step.
  'timeline.sqlite.p99': [atMost(25)],
  'timeline.postgres.p99': [atMost(25)],
  // Evidence pack for 100k events with the summary PDF (docs/design.md).
  'evidence-pack.build': [atMost(3)],
  'evidence-pack.build.rss': [atMost(512)],
};

const peer = (size: string, label: string): Comparison => ({
  id: `peer.${size}`,
  name: `PG ledger / Emmett, ${label}`,
  subject: `postgres.ledger.${size}`,
  baseline: `emmett.${size}`,
  targets: [ratioAtLeast(3)],
});

// For information: the ledger writes batches of ≥ 100 rows by binary COPY itself.
const copy = (size: string, label: string): Comparison => ({
  id: `copy.${size}`,
  name: `PG ledger / raw COPY, ${label}`,
  subject: `postgres.ledger.${size}`,
  baseline: `postgres.copy.${size}`,
  targets: [],
});

// For information: single-event POSTs to the ledger vs the same client against a bare
// node:http server — the share of the request rate the HTTP stack and the client leave.
const overRaw = (store: string, label: string): Comparison => ({
  id: `http.raw-share.${store}`,
  name: `HTTP ${label} single / raw node:http`,
  subject: `http.single.${store}.c32`,
  baseline: 'http.raw.c32',
  targets: [],
});

/** Ledger vs the peer event store (same database, events and call sizes), then vs raw COPY, then HTTP vs raw HTTP. */
export const COMPARISONS: readonly Comparison[] = [
  peer('b1', '1 ev/call'),
  peer('b100', '100 ev/call'),
  peer('b1000', '1000 ev/call'),
  peer('c16', '16 concurrent writers'),
  peer('c32', '32 concurrent writers'),
  copy('b100', '100 ev/call'),
  copy('b1000', '1000 ev/call'),
  overRaw('sqlite', 'SQLite'),
  overRaw('postgres', 'PG'),
];

export function describeTarget(t: Target, unit: string): string {
  const bound = t.min !== undefined ? `≥ ${formatNumber(t.min, unit)}` : `≤ ${formatNumber(t.max as number, unit)}`;
  return t.on === 'ratio' ? `${bound}×` : `${bound} ${unit}`;
}

export function meets(t: Target, value: number | undefined): boolean | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return (t.min === undefined || value >= t.min) && (t.max === undefined || value <= t.max);
}

// Rates in thousands, latencies with three significant figures, everything else as is.
export function formatNumber(n: number, unit: string): string {
  if (unit.endsWith('/s') && n >= 10_000) return `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1)}k`;
  if (unit.endsWith('/s')) return n.toFixed(n >= 100 ? 0 : 1);
  if (unit === '×') return n.toFixed(2);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  return Number(n.toPrecision(3)).toString();
}
