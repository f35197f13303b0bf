import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { demoPaceWithin, demoScenario, DemoScenario, demoStartEndingBefore, demoStartOf, postingRuns } from '@evidence-ledger/samples';
import { CliError } from '../cli-error';
import { CliContext, CommandIo } from '../command-io';
import { EXIT, ExitCode } from '../exit-codes';
import { ApiTarget, callLedger } from '../ledger-api-client';
import { apiKeyOption, ledgerUrlOption } from '../ledger-target-options';

export interface DemoOptions {
  readonly url?: string;
  readonly apiKey?: string;
  readonly data: string;
  readonly seed: string;
  readonly changes: string;
  readonly exit?: boolean;
  readonly json?: boolean;
}

/** What the demo did, and what to look at (`--json` prints exactly this). */
export interface DemoReport {
  readonly url: string;
  readonly embedded: boolean;
  readonly auditorKey: string;
  readonly producerKey: string;
  readonly publicKeyFile: string;
  readonly events: number;
  readonly changes: number;
  readonly treeSize: number;
  readonly showcase: string;
  readonly planted: DemoScenario['planted'];
  readonly clean: readonly string[];
  /**
   * The two clocks of what was seeded: `occurred` spans the events' `time` (the producers'
   * clock: when the story happened), `recorded` their `recordedAt` (the ledger's clock, proven
   * by the log: when the demo posted them).
   */
  readonly clocks: { readonly occurred: TimeSpan; readonly recorded: TimeSpan };
  /** A pack period ([from, to), on the recorded clock packs select by) that holds every seeded event by either clock. */
  readonly packPeriod: { readonly from: string; readonly to: string };
  /** A point inside the showcase's story: its merge, by sequence and by each clock. */
  readonly showcaseMerge?: { readonly sequence: number; readonly recordedAt: string; readonly time: string };
}

interface TimeSpan {
  readonly from: string;
  readonly to: string;
}

interface PostedReceipt {
  readonly sequence: number;
  readonly recordedAt: string;
}

const BATCH = 100;

/** The longest the demo's story lasts on the producers' clock: well within a day of being recorded. */
const STORY_MS = 12 * 3_600_000;

export function registerDemo(program: Command, { io, action }: CliContext): void {
  program
    .command('demo')
    .summary('seed a realistic scenario through the API and print what to look at')
    .description(
      'Post the deterministic demo scenario — dozens of changes across repositories and teams, agents, model versions, OPA verdicts, scans, reviews, merges, deployments, a rollback and one planted case of every control exception — through the HTTP API, wait for the forensics tables, and print a tour. With --url / LEDGER_URL (and an admin key) it uses that service; without, it starts one on a free local port over --data and keeps it running until Ctrl-C. Posting the same seed twice is a retry: nothing is written twice.',
    )
    .addOption(ledgerUrlOption('a running ledger (default: start one)', 'none'))
    .addOption(apiKeyOption('an admin API key of that ledger', false))
    .option('--data <dir>', 'where the embedded service keeps its store and key', 'data/demo')
    .option('--seed <n>', 'scenario seed', '2026')
    .option('--changes <n>', 'number of changes', '36')
    .option('--exit', 'stop the embedded service after seeding instead of serving until Ctrl-C')
    .option('--json', 'print the report as JSON')
    .action(action((options: DemoOptions) => runDemo(options, io)));
}

export async function runDemo(options: DemoOptions, io: CommandIo): Promise<ExitCode> {
  const seed = positive(options.seed, '--seed');
  const changes = positive(options.changes, '--changes');
  const url = options.url?.trim() || undefined;
  const embedded = url === undefined ? await startEmbedded(resolve(options.data)) : undefined;
  try {
    const admin: ApiTarget = embedded ?? { url: url as string, apiKey: requireKey(options.apiKey) };
    // The story has just happened: it ends a minute before now — or, on a second run, exactly
    // when the first run put it, so the same events are posted again (retries, nothing written).
    // It lasts at most STORY_MS, so no event is recorded long after it happened (late evidence).
    const shape = { seed, changes, pace: demoPaceWithin(STORY_MS, { seed, changes }) };
    const start = (await startSeeded(admin, shape)) ?? demoStartEndingBefore(Date.now(), shape);
    const scenario = demoScenario({ ...shape, start });
    const report = await seedScenario(admin, scenario, embedded !== undefined, options.data);
    io.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : tour(report, scenario, embedded !== undefined));
    if (embedded && !options.exit) await untilInterrupted();
    return EXIT.OK;
  } finally {
    await embedded?.stop();
  }
}

async function seedScenario(admin: ApiTarget, scenario: DemoScenario, embedded: boolean, data: string): Promise<DemoReport> {
  const key = async (name: string, role: string) => (await callLedger<{ key: string }>(admin, 'POST', 'v1/api-keys', { name, role })).key;
  const producerKey = await key('demo producer', 'producer');
  const auditorKey = await key('demo auditor', 'auditor');
  const producer = { url: admin.url, apiKey: producerKey };
  const auditor = { url: admin.url, apiKey: auditorKey };
  // Governance settings and exception responses need the admin key; everything else is the producer's. Runs keep the
  // scenario's order, so receipts[i] answers scenario.events[i].
  const receipts: PostedReceipt[] = [];
  for (const run of postingRuns(scenario.events, BATCH))
    receipts.push(...(await callLedger<PostedReceipt[]>(run.role === 'admin' ? admin : producer, 'POST', 'v1/events', run.events)));
  let treeSize = await waitForForensics(auditor);
  const { keys } = await callLedger<{ keys: { verifierKey: string; status?: string }[] }>(auditor, 'GET', 'v1/public-keys');
  const dir = resolve(data);
  mkdirSync(dir, { recursive: true });
  const publicKeyFile = join(dir, 'ledger.vkey');
  writeFileSync(publicKeyFile, `${keys.map((k) => k.verifierKey).join('\n')}\n`);
  const clocks = clocksOf(scenario, receipts);
  // The tour's pack period ends at the first whole second after the last entry; the service
  // refuses a period that is not over, so the tour is printed only once it is.
  const untilOver = Date.parse(clocks.packPeriod.to) - Date.now();
  if (untilOver > 0) await new Promise((done) => setTimeout(done, untilOver + 1));
  // Management answers one more exception once the period is over: a pack over the period
  // shows that response, recorded after the period's end, from the entries up to its checkpoint.
  const late = scenario.responses.afterPeriod;
  if (late.length > 0) {
    await callLedger<PostedReceipt[]>(admin, 'POST', 'v1/events', [...late]);
    treeSize = await waitForForensics(auditor);
  }
  return {
    url: admin.url,
    embedded,
    auditorKey,
    producerKey,
    publicKeyFile: relative(process.cwd(), publicKeyFile) || publicKeyFile,
    events: scenario.events.length,
    changes: scenario.changes.length,
    treeSize,
    showcase: scenario.showcase,
    planted: scenario.planted,
    clean: scenario.clean,
    ...clocks,
  };
}

// Both clocks of what was posted, the pack period that holds all of it, and the showcase's
// merge as a point to replay to on either clock.
function clocksOf(scenario: DemoScenario, receipts: readonly PostedReceipt[]): Pick<DemoReport, 'clocks' | 'packPeriod' | 'showcaseMerge'> {
  const span = (times: string[]): TimeSpan => {
    const ms = times.map((t) => Date.parse(t));
    return { from: new Date(Math.min(...ms)).toISOString(), to: new Date(Math.max(...ms)).toISOString() };
  };
  const occurred = span(scenario.events.map((e) => String(e.time)));
  const recorded = span(receipts.map((r) => r.recordedAt));
  // From the start of the first entry's day to the first whole second after the last entry: a
  // pack is only sealed over a period that is over, so the period must not reach into the future.
  const DAY_MS = 86_400_000;
  const day = (iso: string) => Math.floor(Date.parse(iso) / DAY_MS) * DAY_MS;
  const lastMs = Math.max(Date.parse(occurred.to), Date.parse(recorded.to));
  const packPeriod = {
    from: new Date(Math.min(day(occurred.from), day(recorded.from))).toISOString(),
    to: new Date(Math.floor(lastMs / 1000) * 1000 + 1000).toISOString(),
  };
  const index = scenario.events.findIndex((e) => e.type === 'change.merged' && e.changeid === scenario.showcase);
  const merge = receipts[index];
  return {
    clocks: { occurred, recorded },
    packPeriod,
    ...(merge
      ? { showcaseMerge: { sequence: merge.sequence, recordedAt: merge.recordedAt, time: String(scenario.events[index].time) } }
      : {}),
  };
}

// The start of a scenario this ledger already holds (a second run), from the producer time
// stored for the first event of its first change; undefined when it holds none of it.
async function startSeeded(admin: ApiTarget, shape: { seed: number; changes: number; pace: number }): Promise<string | undefined> {
  await waitForForensics(admin);
  const [first] = demoScenario(shape).changes;
  const path = `v1/changes/${encodeURIComponent(first)}/timeline?proofs=false&limit=1`;
  const timeline = await callLedger<{ steps: { eventId: string; time?: string }[] }>(admin, 'GET', path).catch((e: unknown) => {
    if (e instanceof CliError && /\[NOT_FOUND\]$/.test(e.message)) return undefined;
    throw e;
  });
  const step = timeline?.steps[0];
  return step?.time === undefined ? undefined : demoStartOf(step.eventId, step.time, shape);
}

// Until the forensics tables reflect every entry of the log as it stands after seeding.
async function waitForForensics(auditor: ApiTarget): Promise<number> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const { forensics } = await callLedger<{ forensics: { position: number; treeSize: number }[] }>(auditor, 'GET', 'v1/forensics/status');
    if (forensics.every((p) => p.position >= p.treeSize)) return forensics[0]?.treeSize ?? 0;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new CliError('INPUT_UNAVAILABLE', 'the forensics tables did not catch up within 60 s; see GET /v1/forensics/status');
}

// What to look at, every command ready to paste (after the export line) — with both clocks
// of what was seeded said plainly, and points and a pack period that hold the story.
function tour(r: DemoReport, scenario: DemoScenario, embedded: boolean): string {
  const q = (s: string) => `'${s}'`;
  const planted = scenario.planted.map((p) => `  ${p.rule.padEnd(36)} ${(p.changeId ?? '(tenant-wide)').padEnd(30)} ${p.story}`);
  const caseOf = (rule: string) => scenario.planted.find((p) => p.rule === rule)?.changeId ?? scenario.showcase;
  const key = `--public-key ${r.publicKeyFile}`;
  const { occurred, recorded } = r.clocks;
  const m = r.showcaseMerge;
  return [
    `Evidence Ledger demo: ${r.events} events, ${r.changes} changes across 4 repositories and teams, ${scenario.planted.length} planted control exceptions`,
    `  service       ${r.url}${embedded ? '  (embedded; Ctrl-C stops it)' : ''}`,
    `  auditor key   ${r.auditorKey}`,
    `  console       ${r.url}/console/   (sign in with the auditor key: every proof verified in the browser)`,
    `  public key    ${r.publicKeyFile}`,
    '',
    'Two clocks: every entry carries both.',
    `  occurred  ${occurred.from} … ${occurred.to}   the producers' \`time\`: when the story happened (the ${hours(occurred)} hours before the demo ran)`,
    `  recorded  ${recorded.from} … ${recorded.to}   the ledger's \`recordedAt\`: when the demo posted it — the clock the log proves`,
    '  Listings filter (from/to) and packs select by the recorded clock; replay takes either: --as-of <sequence>,',
    '  --as-of recorded:<time> or --as-of occurred:<time>.',
    '',
    'Look at:',
    `  export LEDGER_URL=${r.url} LEDGER_API_KEY=${r.auditorKey}`,
    '  curl -s "$LEDGER_URL/v1/exceptions" -H "Authorization: Bearer $LEDGER_API_KEY"            # every control exception, as it happened, with management\'s latest response',
    '  curl -s "$LEDGER_URL/v1/exceptions/responses?matched=false" -H "Authorization: Bearer $LEDGER_API_KEY"   # a response naming no exception',
    '  curl -s "$LEDGER_URL/v1/changes?hasException=true" -H "Authorization: Bearer $LEDGER_API_KEY"',
    '  curl -s "$LEDGER_URL/v1/inventory/models" -H "Authorization: Bearer $LEDGER_API_KEY"      # the AI inventory',
    '  curl -s "$LEDGER_URL/v1/approvals?checkpoint=deploy" -H "Authorization: Bearer $LEDGER_API_KEY"',
    `  npx evidence-ledger replay ${q(r.showcase)} ${key}                # every step with both clocks, each proof verified`,
    ...(m
      ? [
          `  npx evidence-ledger replay ${q(r.showcase)} ${key} --as-of occurred:${m.time}   # as it stood when it was merged, by the producers' clock`,
          `  npx evidence-ledger replay ${q(r.showcase)} ${key} --as-of ${m.sequence}   # the same point, by sequence (the merge entry)`,
        ]
      : []),
    `  npx evidence-ledger replay ${q(caseOf('merged-after-policy-deny'))} ${key} --export change.bundle`,
    `  npx evidence-ledger verify change.bundle ${key}                     # offline`,
    `  npx evidence-ledger pack create --framework soc2 --from ${r.packPeriod.from} --to ${r.packPeriod.to} --out demo-soc2.zip   # every seeded event, by either clock`,
    `  npx evidence-ledger verify demo-soc2.zip ${key}`,
    '',
    'Planted exceptions:',
    ...planted,
    '',
  ].join('\n');
}

const hours = (span: TimeSpan) => Math.ceil((Date.parse(span.to) - Date.parse(span.from)) / 3_600_000);

interface Embedded extends ApiTarget {
  stop(): Promise<void>;
}

// Starts the built service on a free local port over `dir`. The admin key is kept in
// `dir/demo.json` so a second run reuses the same store (and its first key stays valid).
async function startEmbedded(dir: string): Promise<Embedded> {
  const main = resolve(__dirname, '..', '..', '..', 'ledger', 'dist', 'main.js');
  if (!existsSync(main))
    throw new CliError('INPUT_UNAVAILABLE', `the service is not built (${main}); run npm run build, or set LEDGER_URL`);
  mkdirSync(dir, { recursive: true });
  const saved = join(dir, 'demo.json');
  const adminKey = existsSync(saved)
    ? (JSON.parse(readFileSync(saved, 'utf8')) as { adminKey: string }).adminKey
    : `elk_demo_${randomBytes(24).toString('base64url')}`;
  writeFileSync(saved, `${JSON.stringify({ adminKey }, null, 2)}\n`, { mode: 0o600 });
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LEDGER_STORE: `sqlite:${join(dir, 'ledger.db')}`,
      LEDGER_KEY_FILE: join(dir, 'ledger.key'),
      LEDGER_BOOTSTRAP_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderr: Buffer[] = [];
  child.stderr?.on('data', (b: Buffer) => stderr.push(b));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child);
  try {
    await waitForHealth(url, child, () => Buffer.concat(stderr).toString('utf8'));
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, apiKey: adminKey, stop };
}

async function waitForHealth(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new CliError('INPUT_UNAVAILABLE', `the embedded service exited: ${stderr().trim()}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new CliError('INPUT_UNAVAILABLE', 'the embedded service did not start within 30 s');
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function untilInterrupted(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
}

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new CliError('USAGE', `${name} must be a positive integer`);
  return n;
}

function requireKey(key: string | undefined): string {
  if (!key) throw new CliError('USAGE', '--api-key (or LEDGER_API_KEY) is required with --url: an admin key of that ledger');
  return key;
}
