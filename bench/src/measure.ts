/** Nanoseconds on the monotonic clock. */
export const now = (): bigint => process.hrtime.bigint();

export const seconds = (fromNs: bigint, toNs: bigint = now()): number => Number(toNs - fromNs) / 1e9;

export interface Rounds {
  /** Untimed rounds first, so the JIT, the page cache and the connection pool are warm. */
  readonly warmup: number;
  /** Timed rounds; the median is reported. */
  readonly rounds: number;
}

/** One timed round: `count` operations done by `run`, whose setup happened before it. */
export interface Round {
  readonly count: number;
  run(): Promise<unknown> | unknown;
}

export interface RateResult {
  /** Median operations per second over the timed rounds. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly rounds: number;
}

// Throughput: `prepare` builds each round's inputs (untimed: events, rows, connections), then
// only `run` is on the clock. Reports the median rate, which one slow fsync cannot drag.
export async function measureRate(options: Rounds, prepare: () => Round | Promise<Round>): Promise<RateResult> {
  const rates: number[] = [];
  for (let i = 0; i < options.warmup + options.rounds; i++) {
    const round = await prepare();
    const started = now();
    await round.run();
    const elapsed = seconds(started);
    if (i >= options.warmup) rates.push(round.count / elapsed);
  }
  return summarize(rates);
}

// Median, min and max of rates measured elsewhere (e.g. reported by child processes).
export function summarize(rates: readonly number[]): RateResult {
  const sorted = [...rates].sort((a, b) => a - b);
  return { median: median(sorted), min: sorted[0], max: sorted[sorted.length - 1], rounds: sorted.length };
}

export interface LatencyResult {
  readonly samples: number;
  /** Milliseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

// Latency of `op(i)` run one at a time: every sample kept in a Float64Array and sorted, which
// at a few thousand samples is exact and cheaper than any histogram.
export async function measureLatency(
  options: { warmup: number; samples: number },
  op: (i: number) => Promise<unknown>,
): Promise<LatencyResult> {
  for (let i = 0; i < options.warmup; i++) await op(i);
  const ms = new Float64Array(options.samples);
  for (let i = 0; i < options.samples; i++) {
    const started = now();
    await op(i);
    ms[i] = Number(now() - started) / 1e6;
  }
  ms.sort();
  return { samples: ms.length, p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), p999: percentile(ms, 0.999), max: ms[ms.length - 1] };
}

// Nearest-rank percentile of an ascending array.
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1];
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Runs `count` calls of `op` from `writers` independent writers, each waiting for its own
// acknowledgement before sending the next: the shape of many clients posting single events.
export async function concurrently(count: number, writers: number, op: (i: number, writer: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const writer = async (w: number): Promise<void> => {
    while (next < count) await op(next++, w);
  };
  await Promise.all(Array.from({ length: Math.min(writers, count) }, (_, w) => writer(w)));
}
