import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Benchmark, BenchContext } from './benchmark';
import { canonicalize } from './canonicalize';
import { catalogValidation } from './catalog-validation';
import { POSTGRES_URL, scratchDir, ScratchDir } from './databases';
import { emmett } from './emmett';
import { evidencePack } from './evidence-pack';
import { buildSqliteLog, BuiltLog } from './log-fixture';
import { describeMachine } from './machine';
import { now, seconds } from './measure';
import { postgresLedger } from './postgres-ledger';
import { postgresRaw } from './postgres-raw';
import { proof } from './proof';
import { projectionCatchup } from './projection-catchup';
import { timeline } from './timeline';
import { ingestSplits } from './ingest-splits';
import { httpBatched, httpLatency, httpRaw, httpSingle } from './http';
import { httpSustained } from './http-sustained';
import { formatTable, Measurement, reportRows, writeRecord } from './report';
import { sdk } from './sdk';
import { sign } from './sign';
import { sqliteLedger } from './sqlite-ledger';
import { sqliteRaw } from './sqlite-raw';
import { verify } from './verify';

// In run order. Emmett goes last: its driver layer (dumbo) installs process-wide pg type
// parsers (int8 → BigInt) the moment it connects.
const BENCHMARKS: readonly Benchmark[] = [
  canonicalize,
  catalogValidation,
  sign,
  sqliteRaw,
  sqliteLedger,
  postgresRaw,
  postgresLedger,
  ingestSplits,
  verify,
  proof,
  projectionCatchup,
  timeline,
  evidencePack,
  httpRaw,
  httpBatched,
  httpSingle,
  httpLatency,
  httpSustained,
  sdk,
  emmett,
];

// `--only http` selects every `http.*` benchmark; an exact name selects that one.
const selects = (only: readonly string[], name: string): boolean => only.some((o) => name === o || name.startsWith(`${o}.`));

const USAGE = `usage: node bench/dist/run.js [--quick] [--only <name,…>] [--results <file>] [--list]
  --quick     small sizes, one timed round: a smoke run, not a measurement
  --only      run only these benchmarks (see --list); a prefix selects a group (http → http.*)
  --results   where to write the JSON record (default bench/results/latest.json)
PostgreSQL: LEDGER_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test)
http.*: run apps/ledger/dist/main.js as a child; LEDGER_BENCH_HTTP_CPU_PROF=<dir> profiles it (--cpu-prof)`;

interface Options {
  readonly quick: boolean;
  readonly only?: readonly string[];
  readonly results: string;
  readonly list: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  let quick = false;
  let list = false;
  let only: string[] | undefined;
  let results = join(__dirname, '..', 'results', 'latest.json');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') quick = true;
    else if (a === '--list') list = true;
    else if (a === '--only' && argv[i + 1])
      only = argv[++i]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (a === '--results' && argv[i + 1]) results = resolve(argv[++i]);
    else throw new UsageError(`unknown or incomplete argument ${JSON.stringify(a)}`);
  }
  const unknown = only?.filter((n) => !BENCHMARKS.some((b) => selects([n], b.name))) ?? [];
  if (unknown.length > 0) throw new UsageError(`unknown benchmark ${unknown.join(', ')}`);
  return { quick, only, results, list };
}

class UsageError extends Error {}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (options.list) {
    for (const b of BENCHMARKS) console.log(`${b.name.padEnd(16)} ${b.what}`);
    return 0;
  }
  const started = now();
  const loadAtStart = loadavg();
  const machine = await describeMachine(POSTGRES_URL);
  const measured = revision();
  const postgresAvailable = !machine.postgres.startsWith('unavailable');
  console.log(`Evidence Ledger benchmarks${options.quick ? ' (--quick: smoke sizes, not a measurement)' : ''}`);
  console.log(
    `${machine.nproc} × ${machine.cpu}, ${machine.ramGiB} GiB, Node ${machine.node}, PostgreSQL ${machine.postgres}, SQLite ${machine.sqlite}`,
  );
  console.log(`revision ${measured}`);
  if (loadAtStart[0] > 0.5)
    console.log(`! load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}: other processes are using the CPUs; expect low numbers`);

  const only = options.only;
  const selected = BENCHMARKS.filter((b) => !only || selects(only, b.name));
  const shared = sharedLog(options.quick);
  const ctx: BenchContext = {
    quick: options.quick,
    rounds: options.quick ? { warmup: 1, rounds: 1 } : { warmup: 1, rounds: 3 },
    postgresAvailable,
    log: (line) => console.log(line),
    sqliteLog: () => shared.get((line) => console.log(line)),
  };
  const measurements: Measurement[] = [];
  const failed: string[] = [];
  try {
    for (const b of selected) {
      if (b.postgres && !postgresAvailable) {
        console.warn(`! ${b.name}: skipped, PostgreSQL is ${machine.postgres}`);
        continue;
      }
      const t = now();
      console.log(`▶ ${b.name}: ${b.what}`);
      try {
        measurements.push(...(await b.run(ctx)));
        console.log(`  (${seconds(t).toFixed(1)} s)`);
      } catch (e) {
        failed.push(b.name);
        console.error(`✗ ${b.name} failed: ${(e as Error).stack ?? String(e)}`);
      }
    }
  } finally {
    shared.remove();
  }

  const rows = reportRows(measurements);
  console.log(`\n${formatTable(rows)}\n`);
  const durationSeconds = seconds(started);
  writeRecord(options.results, {
    date: new Date().toISOString(),
    command: `node bench/dist/run.js ${process.argv.slice(2).join(' ')}`.trim(),
    quick: options.quick,
    durationSeconds,
    revision: measured,
    loadAverage: { start: loadAtStart, end: loadavg() },
    machine,
    rows,
    measurements,
  });
  const missed = rows.filter((r) => r.pass === false).map((r) => r.name);
  console.log(
    `${rows.filter((r) => r.pass === true).length} targets met, ${missed.length} missed${missed.length ? `: ${missed.join('; ')}` : ''}`,
  );
  console.log(`results: ${options.results} (${durationSeconds.toFixed(0)} s)`);
  if (failed.length > 0) console.error(`failed: ${failed.join(', ')}`);
  return failed.length > 0 ? 1 : 0;
}

// The commit measured, and whether the libraries had uncommitted changes at the time.
function revision(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: join(__dirname, '..', '..'), encoding: 'utf8' }).trim();
  try {
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--', 'libs') === '' ? head : `${head} + uncommitted changes in libs/`;
  } catch {
    return 'unknown';
  }
}

// The SQLite log `verify` and `proof` share: built once, on first use, removed at the end.
function sharedLog(quick: boolean): { get(log: (line: string) => void): Promise<BuiltLog>; remove(): void } {
  let dir: ScratchDir | undefined;
  let built: Promise<BuiltLog> | undefined;
  return {
    get(log) {
      built ??= (async () => {
        dir = scratchDir('log');
        const entries = quick ? 100_000 : 1_000_000;
        log(`  building a ${entries / 1000}k-entry SQLite log through Ledger.append (1000 ev/call, 8 in flight)`);
        const t = now();
        const result = await buildSqliteLog(dir.file('ledger.db'), entries, (done) => {
          if (done % 250_000 === 0) log(`    ${done / 1000}k entries`);
        });
        log(
          `  built in ${seconds(t).toFixed(1)} s: ${Math.round(result.rate)} ev/s, ${result.checkpoints} checkpoints, ${Math.round(result.meanEntryBytes)} B/entry`,
        );
        return result;
      })();
      return built;
    },
    remove: () => dir?.remove(),
  };
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(e);
      process.exitCode = 1;
    }
  },
);
