import { LedgerClient, LedgerClientOptions } from '@evidence-ledger/sdk';
import { Benchmark, BenchContext, size } from './benchmark';
import { scratchDir } from './databases';
import { modelInvocation } from './events';
import { closedLoop } from './http-client';
import { LedgerService, startLedgerService } from './http-service';
import { summarize } from './measure';
import { Measurement } from './report';

// The producer SDK against the ledger service (its own process, SQLite), next to raw HTTP
// posting of the same events from the same process: what batching buys a producer, and what
// the SDK's receipt verification (signature, leaf, inclusion, consistency) and spool cost.

const SINGLE_CLIENTS = 32;
const BATCH_CLIENTS = 4;
const RAW_BATCH = 1000;

type Event = Record<string, unknown>;

export const sdk: Benchmark = {
  name: 'sdk',
  what: `LedgerClient (batched, receipts verified) vs raw HTTP of the same events: 1 ev/POST × ${SINGLE_CLIENTS} clients, ${RAW_BATCH} ev/POST × ${BATCH_CLIENTS}; SQLite service`,
  postgres: false,
  async run(ctx) {
    const dir = scratchDir('sdk');
    const svc = await startLedgerService({ store: `sqlite:${dir.file('ledger.db')}`, dir: dir.dir });
    try {
      const events = size(ctx, 40_000, 4000);
      const before = await appended(svc);
      let sent = 0;
      const row = (id: string, name: string, r: Rate): Measurement => {
        sent += r.events;
        const m = { id, name, value: r.rate, unit: 'ev/s', details: r.details };
        ctx.log(`  ${name}: ${Math.round(r.rate)} ev/s (client CPU ${r.details.clientCpuMsPerKEvent.toFixed(1)} ms per 1000 events)`);
        return m;
      };
      // An unrecorded run first: JIT, connections and the service's caches warm.
      await sdkRate(ctx, svc, Math.min(events, 5000), {});

      const client = row('sdk.client', 'SDK, defaults, receipts verified', await sdkRate(ctx, svc, events, {}));
      const b1000 = row(
        'sdk.client.b1000',
        `SDK, ${RAW_BATCH} ev/batch, receipts verified`,
        await sdkRate(ctx, svc, events, { maxBatchSize: RAW_BATCH }),
      );
      const unverified = row(
        'sdk.client.unverified',
        'SDK, defaults, verification off',
        await sdkRate(ctx, svc, events, { verified: false }),
      );
      const spooled = row('sdk.client.spooled', 'SDK, defaults, verified, durable spool', await sdkRate(ctx, svc, events, { spool: true }));
      const single = row(
        'sdk.raw.single',
        `raw HTTP, 1 ev/POST, ${SINGLE_CLIENTS} clients`,
        await rawRate(ctx, svc, events, 1, SINGLE_CLIENTS),
      );
      const batched = row(
        'sdk.raw.batched',
        `raw HTTP, ${RAW_BATCH} ev/POST, ${BATCH_CLIENTS} clients`,
        await rawRate(ctx, svc, events, RAW_BATCH, BATCH_CLIENTS),
      );

      const logged = (await appended(svc)) - before;
      if (logged < sent) throw new Error(`the service appended ${logged} events, ${sent} were acknowledged`);
      const ratio = (id: string, name: string, a: Measurement, b: Measurement): Measurement => {
        ctx.log(`  ${name}: ${(a.value / b.value).toFixed(2)}×`);
        return { id, name, value: a.value / b.value, unit: '×', details: { subject: a.id, baseline: b.id } };
      };
      return [
        client,
        b1000,
        unverified,
        spooled,
        single,
        batched,
        ratio('sdk.ratio.single', 'SDK (defaults) / raw 1 ev/POST', client, single),
        ratio('sdk.ratio.batched', `SDK (${RAW_BATCH} ev/batch) / raw ${RAW_BATCH} ev/POST`, b1000, batched),
        ratio('sdk.ratio.verification', 'SDK verified / SDK unverified', client, unverified),
      ];
    } finally {
      await svc.stop();
      dir.remove();
    }
  },
};

interface Rate {
  readonly rate: number;
  readonly events: number;
  readonly details: Record<string, number> & { clientCpuMsPerKEvent: number };
}

// Records `events` model invocations as fast as the client takes them and awaits every
// receipt; one fresh client per round (created and closed off the clock).
async function sdkRate(
  ctx: BenchContext,
  svc: LedgerService,
  events: number,
  o: { maxBatchSize?: number; verified?: boolean; spool?: boolean },
): Promise<Rate> {
  return rounds(ctx, events, async () => {
    const spool = o.spool ? scratchDir('sdk-spool') : undefined;
    const options: LedgerClientOptions = {
      url: `http://127.0.0.1:${svc.port}`,
      apiKey: svc.producerKey,
      source: 'urn:acme:agent-gateway',
      ...(o.verified === false ? { verifyReceipts: false } : { verifierKeys: [svc.verifierKey], origin: svc.origin }),
      ...(o.maxBatchSize ? { maxBatchSize: o.maxBatchSize } : {}),
      ...(spool ? { spoolDir: spool.dir } : {}),
    };
    const client = new LedgerClient(options);
    const inputs = Array.from({ length: events }, modelInvocation);
    return {
      run: async () => {
        const receipts = await Promise.all(
          inputs.map((e) => client.record('model.invocation.completed', e.data as never, attributesOf(e))),
        );
        if (receipts.length !== events || (o.verified !== false && !receipts.every((r) => r.verified))) throw new Error('receipts missing');
        return events;
      },
      teardown: async () => {
        await client.close();
        spool?.remove();
      },
    };
  });
}

// The same events as JSON bodies of `perRequest` events, posted by `clients` concurrent callers
// over keep-alive connections.
async function rawRate(ctx: BenchContext, svc: LedgerService, events: number, perRequest: number, clients: number): Promise<Rate> {
  return rounds(ctx, events, async () => {
    const http = svc.client(clients);
    const requests = Math.ceil(events / perRequest);
    const bodies = Array.from({ length: requests }, () => {
      const batch = Array.from({ length: perRequest }, modelInvocation);
      return Buffer.from(JSON.stringify(perRequest === 1 ? batch[0] : batch));
    });
    return {
      run: async () => (await closedLoop(requests, clients, 60, (i) => http.post('/v1/events', bodies[i]))).done * perRequest,
      teardown: async () => http.close(),
    };
  });
}

interface Round {
  /** Resolves with the events acknowledged. */
  run(): Promise<number>;
  teardown(): Promise<void>;
}

// ctx.rounds warm-up + timed rounds, median rate of the timed ones, with the CPU this process
// (the producer side) used per 1000 events.
async function rounds(ctx: BenchContext, events: number, prepare: () => Promise<Round>): Promise<Rate> {
  const rates: number[] = [];
  let cpuMs = 0;
  let counted = 0;
  let total = 0;
  for (let i = 0; i < ctx.rounds.warmup + ctx.rounds.rounds; i++) {
    const round = await prepare();
    const cpu = process.cpuUsage();
    const started = performance.now();
    let done: number;
    let seconds: number;
    let used: NodeJS.CpuUsage;
    try {
      done = await round.run();
      seconds = (performance.now() - started) / 1000;
      used = process.cpuUsage(cpu);
    } finally {
      await round.teardown();
    }
    total += done;
    if (i < ctx.rounds.warmup) continue;
    rates.push(done / seconds);
    cpuMs += (used.user + used.system) / 1000;
    counted += done;
  }
  const rate = summarize(rates);
  return {
    rate: rate.median,
    events: total,
    details: { events, rounds: rate.rounds, min: rate.min, max: rate.max, clientCpuMsPerKEvent: (cpuMs / counted) * 1000 },
  };
}

function attributesOf(e: Event) {
  return {
    id: e.id as string,
    subject: e.subject as string,
    time: e.time as string,
    actor: e.actor as { kind: 'agent'; id: string },
    changeid: e.changeid as string,
  };
}

async function appended(svc: LedgerService): Promise<number> {
  return (await svc.metrics()).ledger_events_appended_total ?? 0;
}
