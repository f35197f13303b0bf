import { Rounds } from './measure';
import { Measurement } from './report';
import { BuiltLog } from './log-fixture';

/** What a benchmark gets from the runner. */
export interface BenchContext {
  /** Smaller sizes and fewer rounds: a smoke run, not a measurement. */
  readonly quick: boolean;
  /** Warm-up and timed rounds for throughput measurements. */
  readonly rounds: Rounds;
  /** Whether the PostgreSQL server answered; benchmarks with a PostgreSQL part skip it otherwise. */
  readonly postgresAvailable: boolean;
  log(line: string): void;
  /** The SQLite log that `verify` and `proof` share, built on first use and kept for the run. */
  sqliteLog(): Promise<BuiltLog>;
}

export interface Benchmark {
  /** The name `--only` selects it by. */
  readonly name: string;
  readonly what: string;
  /** Needs the PostgreSQL server; skipped with a warning when it is unreachable. */
  readonly postgres: boolean;
  run(ctx: BenchContext): Promise<Measurement[]>;
}

// Picks the full-run or the --quick value.
export const size = (ctx: BenchContext, full: number, quick: number): number => (ctx.quick ? quick : full);
