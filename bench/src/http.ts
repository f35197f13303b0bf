import { openCheckpoint, parseVerifierKey, rootFromInclusionProof } from '@evidence-ledger/core';
import { Benchmark, BenchContext, size } from './benchmark';
import { scratchDir, scratchSchema } from './databases';
import { modelInvocation } from './events';
import { closedLoop, HttpClient, HttpReply, openLoop } from './http-client';
import { ChildServer, LedgerService, machineCpuSeconds, startLedgerService, startNestServer, startRawServer } from './http-service';
import { percentile, RateResult, summarize } from './measure';
import { Measurement } from './report';

// The ledger service over HTTP, as a producer sees it: `node apps/ledger/dist/main.js` in its
// own process (SQLite file or a fresh PostgreSQL schema), loaded from this process over
// keep-alive connections to 127.0.0.1. Client and server share the machine's two cores, so
// every row also records the CPU each side used (details in latest.json).
//
// LEDGER_BENCH_HTTP_CPU_PROF=<dir> starts the service with `--cpu-prof --cpu-prof-dir=<dir>`;
// summarize a profile with `node bench/dist/cpu-profile.js <file>`.

type StoreKind = 'sqlite' | 'postgres';
const STORE_LABEL: Record<StoreKind, string> = { sqlite: 'SQLite', postgres: 'PG' };

const BATCH_CLIENTS = 4;
const SINGLE_CLIENTS = 32;
const LATENCY_RATE = 5000;
// For information: a rate the service sustains on this machine, to show its latency unqueued.
const INFO_RATE = 1000;

export const httpRaw: Benchmark = {
  name: 'http.raw',
  what: `baseline: the same client against a bare node:http server answering 201 + small JSON: 1 event per POST from ${SINGLE_CLIENTS} clients; open loop at ${LATENCY_RATE / 1000}k/s; and against a bare NestJS + Express application (JSON body parsed, same reply)`,
  postgres: false,
  async run(ctx) {
    // The framework floor: NestJS 11 on Express with nothing behind the route. The service
    // cannot answer single-event POSTs faster than this.
    const nest = await startNestServer();
    let framework: Measurement;
    try {
      framework = await singleEventRate(ctx, nest, '/v1/events', 'http.nest', 'bare NestJS + Express');
    } finally {
      await nest.stop();
    }
    const server = await startRawServer();
    try {
      const m = await singleEventRate(ctx, server, '/', 'http.raw', 'raw node:http server');
      // The floor of the latency measurement: same timetable, same client, nothing behind it.
      const open = new HttpClient(server.port, 64);
      try {
        const latency = await openLoopLatency(
          ctx,
          { server, client: open, path: '/' },
          LATENCY_RATE,
          'http.raw.latency',
          `raw node:http server, ${LATENCY_RATE / 1000}k req/s open loop`,
          false,
        );
        return [m, ...latency, framework];
      } finally {
        open.close();
      }
    } finally {
      await server.stop();
    }
  },
};

// One event per POST from SINGLE_CLIENTS clients against a baseline server, req/s.
async function singleEventRate(ctx: BenchContext, server: ChildServer, path: string, id: string, label: string): Promise<Measurement> {
  const client = new HttpClient(server.port, SINGLE_CLIENTS);
  try {
    const body = Buffer.from(JSON.stringify(modelInvocation()));
    const r = await measureHttpRate(ctx, server, {
      clients: SINGLE_CLIENTS,
      requests: size(ctx, 60_000, 2000),
      maxSeconds: size(ctx, 5, 2),
      unitsPerRequest: 1,
      round: () => () => client.post(path, body),
    });
    const m: Measurement = {
      id: `${id}.c${SINGLE_CLIENTS}`,
      name: `${label}, 1 ev/POST, ${SINGLE_CLIENTS} clients`,
      value: r.rate.median,
      unit: 'req/s',
      details: r.details,
    };
    ctx.log(`  ${m.name}: ${Math.round(m.value)} req/s ${cpuNote(r.details)}`);
    return m;
  } finally {
    client.close();
  }
}

export const httpBatched: Benchmark = {
  name: 'http.batched',
  what: `POST /v1/events with 1000 and 100 events per request, ${BATCH_CLIENTS} concurrent clients; SQLite and PostgreSQL`,
  postgres: false,
  run: (ctx) =>
    eachStore(ctx, async (kind, svc) => {
      const out: Measurement[] = [];
      for (const batch of [1000, 100]) {
        const client = svc.client(BATCH_CLIENTS);
        let kept: { events: Record<string, unknown>[]; reply?: HttpReply } | undefined;
        try {
          const r = await measureHttpRate(ctx, svc, {
            clients: BATCH_CLIENTS,
            requests: batch === 1000 ? size(ctx, 60, 5) : size(ctx, 300, 20),
            maxSeconds: size(ctx, 8, 3),
            unitsPerRequest: batch,
            round: (requests) => {
              const events = Array.from({ length: requests }, () => Array.from({ length: batch }, modelInvocation));
              const bodies = events.map((e) => Buffer.from(JSON.stringify(e)));
              kept = { events: events[0] };
              // The first request's receipts are kept and checked after the clock stops.
              return (i) =>
                client.post('/v1/events', bodies[i], i === 0).then((reply) => {
                  if (i === 0 && kept) kept.reply = reply;
                });
            },
          });
          if (!kept?.reply) throw new Error('no reply kept');
          checkReceipts(svc, kept.events, JSON.parse(kept.reply.body.toString('utf8')) as ReceiptJson[], 10);
          const m: Measurement = {
            id: `http.batched.${kind}.b${batch}`,
            name: `HTTP ${STORE_LABEL[kind]}, ${batch} ev/POST, ${BATCH_CLIENTS} clients`,
            value: r.rate.median,
            unit: 'ev/s',
            details: r.details,
          };
          out.push(m);
          ctx.log(`  ${m.name}: ${Math.round(m.value)} ev/s ${cpuNote(r.details)}`);
        } finally {
          client.close();
        }
      }
      return out;
    }),
};

export const httpSingle: Benchmark = {
  name: 'http.single',
  what: `POST /v1/events with one event per request, ${SINGLE_CLIENTS} concurrent clients; SQLite and PostgreSQL`,
  postgres: false,
  run: (ctx) =>
    eachStore(ctx, async (kind, svc) => {
      const client = svc.client(SINGLE_CLIENTS);
      try {
        let kept: { event: Record<string, unknown>; reply?: HttpReply } | undefined;
        const r = await measureHttpRate(ctx, svc, {
          clients: SINGLE_CLIENTS,
          requests: size(ctx, 20_000, 1000),
          maxSeconds: size(ctx, 6, 2),
          unitsPerRequest: 1,
          round: (requests) => {
            const events = Array.from({ length: requests }, modelInvocation);
            const bodies = events.map((e) => Buffer.from(JSON.stringify(e)));
            kept = { event: events[0] };
            return (i) =>
              client.post('/v1/events', bodies[i], i === 0).then((reply) => {
                if (i === 0 && kept) kept.reply = reply;
              });
          },
        });
        if (!kept?.reply) throw new Error('no reply kept');
        checkReceipts(svc, [kept.event], [JSON.parse(kept.reply.body.toString('utf8')) as ReceiptJson], 1);
        const m: Measurement = {
          id: `http.single.${kind}.c${SINGLE_CLIENTS}`,
          name: `HTTP ${STORE_LABEL[kind]}, 1 ev/POST, ${SINGLE_CLIENTS} clients`,
          value: r.rate.median,
          unit: 'req/s',
          details: r.details,
        };
        ctx.log(`  ${m.name}: ${Math.round(m.value)} req/s ${cpuNote(r.details)}`);
        return [m];
      } finally {
        client.close();
      }
    }),
};

export const httpLatency: Benchmark = {
  name: 'http.latency',
  what: `open loop: single-event POSTs on a fixed timetable, ${LATENCY_RATE / 1000}k/s (the target) then ${INFO_RATE / 1000}k/s, 10 s each (1 s with --quick), latency from the scheduled send; SQLite and PostgreSQL`,
  postgres: false,
  run: (ctx) =>
    eachStore(ctx, async (kind, svc) => {
      const client = svc.client(64);
      const to: OpenLoopTarget = {
        server: svc,
        client,
        path: '/v1/events',
        check: (event, reply) => checkReceipts(svc, [event], [JSON.parse(reply.body.toString('utf8')) as ReceiptJson], 1),
      };
      const label = (rate: number) => `HTTP ${STORE_LABEL[kind]}, ${rate / 1000}k ev/s open loop`;
      try {
        return [
          ...(await openLoopLatency(ctx, to, LATENCY_RATE, `http.latency.${kind}`, label(LATENCY_RATE), true)),
          ...(await openLoopLatency(ctx, to, INFO_RATE, `http.latency.${kind}.${INFO_RATE / 1000}k`, label(INFO_RATE), false)),
        ];
      } finally {
        client.close();
      }
    }),
};

/** Where an open-loop run posts, and how its replies are checked. */
interface OpenLoopTarget {
  readonly server: ChildServer;
  readonly client: HttpClient;
  readonly path: string;
  /** Checks a kept reply to `event` (after the clock stops). */
  check?(event: Record<string, unknown>, reply: HttpReply): void;
}

// One open-loop run at `rate` after an unrecorded warm-up on the same timetable. With a
// `check`, every 500th reply is kept and checked after the clock stops.
async function openLoopLatency(
  ctx: BenchContext,
  to: OpenLoopTarget,
  rate: number,
  id: string,
  label: string,
  withRateRow: boolean,
): Promise<Measurement[]> {
  const seconds = size(ctx, 10, 1);
  const { client, path } = to;
  // Keeps the reply to every `keepEvery`-th request (none when 0).
  const send = (events: Record<string, unknown>[], keepEvery: number, kept: Map<number, HttpReply>) => {
    const bodies = events.map((e) => Buffer.from(JSON.stringify(e)));
    return (i: number) => {
      const keep = keepEvery > 0 && i % keepEvery === 0;
      return client.post(path, bodies[i], keep).then((reply) => {
        if (keep) kept.set(i, reply);
      });
    };
  };
  const warmSeconds = size(ctx, 2, 0.5);
  const warm = Array.from({ length: Math.round(rate * warmSeconds) }, modelInvocation);
  await openLoop(rate, warmSeconds, send(warm, 0, new Map()));
  const events = Array.from({ length: Math.round(rate * seconds) }, modelInvocation);
  const kept = new Map<number, HttpReply>();
  const before = cpuSnapshot(to.server);
  const started = performance.now();
  const r = await openLoop(rate, seconds, send(events, to.check ? 500 : 0, kept));
  const cpu = cpuDetails(cpuUse(before, cpuSnapshot(to.server)), r.completed, (performance.now() - started) / 1000);
  for (const [i, reply] of kept) to.check?.(events[i], reply);
  const latency = Float64Array.from(r.latency).sort();
  const service = Float64Array.from(r.service.filter((v) => !Number.isNaN(v))).sort();
  const lag = Float64Array.from(r.sendLag.filter((v) => !Number.isNaN(v))).sort();
  const details = {
    offeredRate: r.offeredRate,
    achievedRate: r.achievedRate,
    scheduled: r.scheduled,
    completed: r.completed,
    unanswered: r.unanswered,
    seconds,
    receiptsVerified: kept.size,
    maxMs: latency[latency.length - 1],
    // Client-side lateness of the sends (timer granularity, client CPU), included in the latency.
    sendLagP50Ms: percentile(lag, 0.5),
    sendLagP99Ms: percentile(lag, 0.99),
    // From the actual send, i.e. without the client's lateness.
    serviceP50Ms: percentile(service, 0.5),
    serviceP99Ms: percentile(service, 0.99),
    serviceP999Ms: percentile(service, 0.999),
    ...cpu,
  };
  const p50 = percentile(latency, 0.5);
  const p99 = percentile(latency, 0.99);
  const p999 = percentile(latency, 0.999);
  ctx.log(
    `  ${label}: achieved ${Math.round(r.achievedRate)} ev/s, p50 ${p50.toFixed(2)} / p99 ${p99.toFixed(2)} / p99.9 ${p999.toFixed(2)} ms` +
      ` (from actual send: p50 ${details.serviceP50Ms.toFixed(2)} / p99 ${details.serviceP99Ms.toFixed(2)} ms; send lag p99 ${details.sendLagP99Ms.toFixed(2)} ms${r.unanswered ? `; ${r.unanswered} unanswered` : ''}) ${cpuNote(cpu)}`,
  );
  return [
    ...(withRateRow ? [{ id: `${id}.rate`, name: `${label}, achieved`, value: r.achievedRate, unit: 'ev/s', details }] : []),
    { id: `${id}.p50`, name: `${label}, p50`, value: p50, unit: 'ms', details },
    { id: `${id}.p99`, name: `${label}, p99`, value: p99, unit: 'ms', details },
    { id: `${id}.p999`, name: `${label}, p99.9`, value: p999, unit: 'ms', details },
  ];
}

// Runs `work` against a fresh service per store: SQLite in a temporary directory, then (when
// the server answers) PostgreSQL in a fresh schema. Each store first takes 5000 events and,
// on PostgreSQL, an ANALYZE (see docs/benchmarks.md, "Cold planner statistics"). Afterwards
// the log must hold exactly the events acknowledged.
async function eachStore(ctx: BenchContext, work: (kind: StoreKind, svc: LedgerService) => Promise<Measurement[]>): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const kinds: StoreKind[] = ctx.postgresAvailable ? ['sqlite', 'postgres'] : ['sqlite'];
  if (!ctx.postgresAvailable) ctx.log('  PostgreSQL unavailable: SQLite only');
  const nodeFlags = process.env.LEDGER_BENCH_HTTP_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LEDGER_BENCH_HTTP_CPU_PROF}`]
    : [];
  for (const kind of kinds) {
    const dir = scratchDir(`http-${kind}`);
    const scratch = kind === 'postgres' ? await scratchSchema('http') : undefined;
    try {
      const svc = await startLedgerService({
        store: scratch ? scratch.storeUrl : `sqlite:${dir.file('ledger.db')}`,
        dir: dir.dir,
        nodeFlags,
      });
      try {
        const warm = svc.client(4);
        try {
          await closedLoop(50, 4, 60, () =>
            warm.post('/v1/events', Buffer.from(JSON.stringify(Array.from({ length: 100 }, modelInvocation)))),
          );
        } finally {
          warm.close();
        }
        await scratch?.analyze();
        const before = await svc.metrics();
        out.push(...(await work(kind, svc)));
        const after = await svc.metrics();
        const treeSize = await logSize(svc);
        if (treeSize !== after.ledger_events_appended_total)
          throw new Error(
            `${kind}: the checkpoint covers ${treeSize} entries, the service counted ${after.ledger_events_appended_total} appended`,
          );
        const commits = after.ledger_commit_batch_events_count - before.ledger_commit_batch_events_count;
        const committed = after.ledger_commit_batch_events_sum - before.ledger_commit_batch_events_sum;
        ctx.log(
          `  ${STORE_LABEL[kind]} service: ${treeSize} entries, ${(committed / commits).toFixed(1)} ev/commit over the measured runs`,
        );
      } finally {
        await svc.stop();
      }
    } finally {
      dir.remove();
      await scratch?.drop();
    }
  }
  return out;
}

async function logSize(svc: LedgerService): Promise<number> {
  const client = svc.client(1);
  try {
    const note = (await client.get('/v1/checkpoint')).body.toString('utf8');
    return openCheckpoint(note, [parseVerifierKey(svc.verifierKey)]).checkpoint.treeSize;
  } finally {
    client.close();
  }
}

interface HttpRateOptions {
  readonly clients: number;
  /** Requests per round, at most; a round also stops sending after `maxSeconds`. */
  readonly requests: number;
  readonly maxSeconds: number;
  /** Events (or requests) one request counts for. */
  readonly unitsPerRequest: number;
  /** Builds one round's request bodies (untimed) and returns the request to send for index i. */
  round(requests: number): (i: number) => Promise<unknown>;
}

type Details = Record<string, number>;

// Closed-loop throughput: ctx.rounds warm-up + timed rounds, median rate of the timed ones.
// CPU per unit for the server child and for this (client) process, and how busy the whole
// machine was (cores), summed over the timed rounds only.
async function measureHttpRate(
  ctx: BenchContext,
  server: ChildServer,
  o: HttpRateOptions,
): Promise<{ rate: RateResult; details: Details }> {
  const rates: number[] = [];
  let units = 0;
  let wall = 0;
  let cpu: CpuUse = { server: 0, client: 0, machine: 0 };
  for (let i = 0; i < ctx.rounds.warmup + ctx.rounds.rounds; i++) {
    const op = o.round(o.requests);
    const before = cpuSnapshot(server);
    const r = await closedLoop(o.requests, o.clients, o.maxSeconds, op);
    if (i < ctx.rounds.warmup) continue;
    cpu = addCpu(cpu, cpuUse(before, cpuSnapshot(server)));
    rates.push((r.done * o.unitsPerRequest) / r.seconds);
    units += r.done * o.unitsPerRequest;
    wall += r.seconds;
  }
  const rate = summarize(rates);
  const details: Details = {
    clients: o.clients,
    requestsPerRound: o.requests,
    maxSecondsPerRound: o.maxSeconds,
    unitsPerRequest: o.unitsPerRequest,
    rounds: rate.rounds,
    min: rate.min,
    max: rate.max,
    ...cpuDetails(cpu, units, wall),
  };
  return { rate, details };
}

interface CpuSnapshot {
  readonly server: number;
  readonly client: NodeJS.CpuUsage;
  readonly machine: number;
}

/** CPU seconds used between two snapshots. */
interface CpuUse {
  readonly server: number;
  readonly client: number;
  /** Busy time of all cores together: server, client, PostgreSQL and anything else running. */
  readonly machine: number;
}

const cpuSnapshot = (server: ChildServer): CpuSnapshot => ({
  server: server.cpuSeconds(),
  client: process.cpuUsage(),
  machine: machineCpuSeconds().busy,
});

const cpuUse = (a: CpuSnapshot, b: CpuSnapshot): CpuUse => {
  const client = process.cpuUsage(a.client);
  return { server: b.server - a.server, client: (client.user + client.system) / 1e6, machine: b.machine - a.machine };
};

const addCpu = (a: CpuUse, b: CpuUse): CpuUse => ({
  server: a.server + b.server,
  client: a.client + b.client,
  machine: a.machine + b.machine,
});

// µs of CPU per unit (event or request) for the server and the client; cores busy.
function cpuDetails(cpu: CpuUse, units: number, wallSeconds: number): Details {
  return {
    serverCpuUsPerUnit: (cpu.server * 1e6) / units,
    clientCpuUsPerUnit: (cpu.client * 1e6) / units,
    serverCores: cpu.server / wallSeconds,
    clientCores: cpu.client / wallSeconds,
    machineBusyCores: cpu.machine / wallSeconds,
  };
}

const cpuNote = (d: Details): string =>
  `[server ${d.serverCpuUsPerUnit.toFixed(0)} µs CPU/unit (${d.serverCores.toFixed(2)} cores), client ${d.clientCpuUsPerUnit.toFixed(0)} µs (${d.clientCores.toFixed(2)} cores), machine ${d.machineBusyCores.toFixed(2)} cores busy]`;

interface ReceiptJson {
  id: string;
  sequence: number;
  leafHash: string;
  checkpoint: string;
  inclusionProof: { leafIndex: number; treeSize: number; hashes: string[] };
}

// The receipts are the real thing: one per event, in order, each with a checkpoint signed by
// the service's key and an inclusion proof from its leaf hash to that checkpoint's root.
function checkReceipts(
  svc: LedgerService,
  events: readonly Record<string, unknown>[],
  receipts: readonly ReceiptJson[],
  sample: number,
): void {
  const isArray = Array.isArray(receipts as unknown);
  if (!isArray || receipts.length !== events.length)
    throw new Error(`expected ${events.length} receipts, got ${isArray ? receipts.length : typeof receipts}`);
  const trusted = [parseVerifierKey(svc.verifierKey)];
  receipts.forEach((r, i) => {
    if (r.id !== events[i].id) throw new Error(`receipt ${i} is for ${r.id}, not ${String(events[i].id)}`);
  });
  for (let k = 0; k < sample; k++) {
    const i = Math.floor((k * receipts.length) / sample);
    const r = receipts[i];
    const { checkpoint } = openCheckpoint(r.checkpoint, trusted);
    const p = r.inclusionProof;
    if (checkpoint.origin !== svc.origin || p.leafIndex !== r.sequence || p.treeSize !== checkpoint.treeSize)
      throw new Error(
        `receipt ${i}: proof ${p.leafIndex}/${p.treeSize} does not match checkpoint ${checkpoint.origin} ${checkpoint.treeSize}`,
      );
    const root = rootFromInclusionProof(
      { leafIndex: p.leafIndex, treeSize: p.treeSize, hashes: p.hashes.map((h) => Buffer.from(h, 'base64')) },
      Buffer.from(r.leafHash, 'base64'),
    );
    if (!Buffer.from(root).equals(Buffer.from(checkpoint.rootHash)))
      throw new Error(`receipt ${i}: inclusion proof does not lead to the signed root`);
  }
}
