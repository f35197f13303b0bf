import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { HttpClient } from './http-client';

/** The built service: `npm run build` (which `npm run bench` runs first) writes it. */
export const LEDGER_MAIN = join(__dirname, '..', '..', 'apps', 'ledger', 'dist', 'main.js');
const RAW_SERVER = join(__dirname, 'http-raw-server.js');
const NEST_SERVER = join(__dirname, 'http-nest-server.js');

/** A server running in its own process on 127.0.0.1, measured from this one. */
export interface ChildServer {
  readonly port: number;
  readonly pid: number;
  /** CPU seconds (user + system) the child has used so far, from /proc/<pid>/stat. */
  cpuSeconds(): number;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the child has exited. */
  stop(): Promise<void>;
}

/** The ledger service, started with a fresh producer key in the `default` tenant. */
export interface LedgerService extends ChildServer {
  /** Authorized as the producer. */
  readonly client: (maxSockets: number) => HttpClient;
  readonly producerKey: string;
  /** The producer key's id: the entries' `producer`. */
  readonly producerKeyId: string;
  /** Checkpoint origin of the `default` tenant, and the key that signs it (C2SP vkey). */
  readonly origin: string;
  readonly verifierKey: string;
  /** Selected counters and histogram sums from `/metrics`. */
  metrics(): Promise<Record<string, number>>;
}

export interface LedgerServiceOptions {
  /** LEDGER_STORE: `sqlite:<file>` or a `postgres://…?schema=` URL. */
  readonly store: string;
  /** For the signing key file. */
  readonly dir: string;
  /** Extra `node` flags for the child, e.g. `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
  /** LEDGER_RATE_LIMIT; off (0) unless a benchmark measures the limiter itself. */
  readonly rateLimitPerMinute?: number;
}

/** The `node` flags `npm start` and the container image run the service with. */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=64'];

// `node apps/ledger/dist/main.js` as `npm start` runs it (SERVICE_NODE_FLAGS), configured only through its
// environment: own port on 127.0.0.1, rate limiting off (unless asked), warn-level logs. Waits for
// `/health`, then creates a producer key with the bootstrap admin key.
export async function startLedgerService(options: LedgerServiceOptions): Promise<LedgerService> {
  if (!existsSync(LEDGER_MAIN)) throw new Error(`${LEDGER_MAIN} is missing: run npm run build first`);
  const port = await freePort();
  const adminKey = `elk_bench_${randomBytes(24).toString('base64url')}`;
  const child = await startChild([...SERVICE_NODE_FLAGS, ...(options.nodeFlags ?? []), LEDGER_MAIN], port, {
    LEDGER_STORE: options.store,
    LEDGER_KEY_FILE: join(options.dir, 'ledger.key'),
    LEDGER_BOOTSTRAP_ADMIN_KEY: adminKey,
    LEDGER_ORIGIN: 'bench.evidence-ledger',
    LEDGER_RATE_LIMIT: String(options.rateLimitPerMinute ?? 0),
    LOG_LEVEL: 'warn',
  });
  try {
    const admin = new HttpClient(port, 1, `Bearer ${adminKey}`);
    let issued: { id: string; key: string };
    try {
      const reply = await admin.post('/v1/api-keys', Buffer.from(JSON.stringify({ name: 'bench producer', role: 'producer' })), true);
      issued = JSON.parse(reply.body.toString('utf8')) as { id: string; key: string };
    } finally {
      admin.close();
    }
    const producer = new HttpClient(port, 1, `Bearer ${issued.key}`);
    let keys: { origin: string; keys: { verifierKey: string; status: string }[] };
    try {
      keys = JSON.parse((await producer.get('/v1/public-keys')).body.toString('utf8')) as typeof keys;
    } finally {
      producer.close();
    }
    const metricsClient = new HttpClient(port, 1);
    return {
      ...child,
      producerKey: issued.key,
      producerKeyId: issued.id,
      origin: keys.origin,
      verifierKey: keys.keys.find((k) => k.status === 'active')?.verifierKey ?? '',
      client: (maxSockets) => new HttpClient(port, maxSockets, `Bearer ${issued.key}`),
      metrics: async () => parseMetrics((await metricsClient.get('/metrics')).body.toString('utf8')),
      stop: async () => {
        metricsClient.close();
        await child.stop();
      },
    };
  } catch (e) {
    await child.stop();
    throw e;
  }
}

/** The raw baseline server (http-raw-server.ts) in its own process. */
export async function startRawServer(): Promise<ChildServer> {
  return startChild([RAW_SERVER], await freePort(), {});
}

/** The framework baseline (http-nest-server.ts): bare NestJS on Express, in its own process, with the service's node flags. */
export async function startNestServer(): Promise<ChildServer> {
  return startChild([...SERVICE_NODE_FLAGS, NEST_SERVER], await freePort(), {});
}

const children = new Set<ChildProcess>();
// Never leave a server behind, even when the runner dies.
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

async function startChild(args: readonly string[], port: number, env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  // Keep the pipes drained; the tail of the output explains a failed start.
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      children.delete(child);
      resolve();
    }),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const stop = async () => {
    if (gone) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  try {
    await waitForHttp(port, () => (gone ? `exited with ${child.exitCode ?? child.signalCode}` : undefined), 30);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${output.trim()}`);
  }
  const pid = child.pid as number;
  return { port, pid, cpuSeconds: () => processCpuSeconds(pid), stop };
}

// Polls GET /health (any answer below 500 from the raw server) until the server is up.
async function waitForHttp(port: number, failed: () => string | undefined, timeoutSeconds: number): Promise<void> {
  const client = new HttpClient(port, 1);
  const deadline = performance.now() + timeoutSeconds * 1000;
  try {
    for (;;) {
      const why = failed();
      if (why) throw new Error(`server on port ${port} ${why} before answering /health`);
      try {
        await client.get('/health');
        return;
      } catch (e) {
        if (performance.now() > deadline)
          throw new Error(`server on port ${port} did not answer /health in ${timeoutSeconds} s: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.close();
  }
}

// A port nobody listens on right now (the child binds it a moment later).
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of a process, seconds; NaN off Linux. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** Busy and total CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    return { busy: busy / TICKS_PER_SECOND, total: (busy + idle + iowait) / TICKS_PER_SECOND };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

const WANTED = /^(ledger_commit_batch_events_(sum|count)|ledger_commit_duration_seconds_(sum|count)|ledger_events_appended_total)\s/;

function parseMetrics(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!WANTED.test(line)) continue;
    const [name, value] = line.split(/\s+/);
    out[name] = Number(value);
  }
  return out;
}
