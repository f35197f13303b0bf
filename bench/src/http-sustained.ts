import { Benchmark, size } from './benchmark';
import { scratchDir } from './databases';
import { modelInvocation } from './events';
import { startLedgerService } from './http-service';
import { now, seconds } from './measure';
import { Measurement } from './report';

const CLIENTS = 32;
// On, and high enough never to refuse: the limiter's own cost is what is measured. A limiter
// that keeps every hit of the window (and prunes them per request) slows down as the minute
// fills; a counter does not.
const RATE_LIMIT_PER_MINUTE = 100_000_000;

// Single-event POSTs from 32 clients sharing one producer key, held for a minute with rate
// limiting on; the rate of the first and of the last 10 s (2 s of 6 with --quick). The last
// row's ratio to the first shows any slowdown that builds up under steady load.
export const httpSustained: Benchmark = {
  name: 'http.sustained',
  what: `POST /v1/events, 1 event per request from ${CLIENTS} clients with one producer key, rate limiting on, for 60 s (6 s with --quick): req/s in the first and last 10 s; SQLite`,
  postgres: false,
  async run(ctx) {
    const holdSeconds = size(ctx, 60, 6);
    const windowSeconds = size(ctx, 10, 2);
    const dir = scratchDir('http-sustained');
    try {
      const svc = await startLedgerService({
        store: `sqlite:${dir.file('ledger.db')}`,
        dir: dir.dir,
        rateLimitPerMinute: RATE_LIMIT_PER_MINUTE,
      });
      const client = svc.client(CLIENTS);
      try {
        // Completions per second since the start.
        const perSecond = new Float64Array(holdSeconds + 1);
        const started = now();
        const worker = async () => {
          while (seconds(started) < holdSeconds) {
            // A fresh event (fresh id) per request, built the same way all minute long.
            await client.post('/v1/events', Buffer.from(JSON.stringify(modelInvocation())));
            const t = Math.floor(seconds(started));
            if (t < holdSeconds) perSecond[t]++;
          }
        };
        await Promise.all(Array.from({ length: CLIENTS }, worker));
        const rate = (from: number) => perSecond.slice(from, from + windowSeconds).reduce((a, b) => a + b, 0) / windowSeconds;
        const label = `HTTP SQLite, 1 ev/POST, ${CLIENTS} clients, one key held ${holdSeconds} s`;
        const first: Measurement = {
          id: 'http.sustained.sqlite.first',
          name: `${label}: first ${windowSeconds} s`,
          value: rate(0),
          unit: 'req/s',
          details: { holdSeconds, windowSeconds, rateLimitPerMinute: RATE_LIMIT_PER_MINUTE, perSecond: Array.from(perSecond).join(' ') },
        };
        const last: Measurement = {
          id: 'http.sustained.sqlite.last',
          name: `${label}: last ${windowSeconds} s`,
          value: rate(holdSeconds - windowSeconds),
          unit: 'req/s',
        };
        ctx.log(`  ${first.name}: ${Math.round(first.value)} req/s; ${last.name}: ${Math.round(last.value)} req/s`);
        return [first, last];
      } finally {
        client.close();
        await svc.stop();
      }
    } finally {
      dir.remove();
    }
  },
};
