import { getPostgreSQLEventStore, PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import { Benchmark } from './benchmark';
import { admin, scratchSchema } from './databases';
import { events } from './events';
import { IngestMode, ingestModes, modeKey, modeLabel } from './ledger-ingest';
import { concurrently, measureRate } from './measure';
import { Measurement } from './report';

const EVENT_TYPE = 'model.invocation.completed';

// The peer: Emmett's PostgreSQL event store, same server, same events (the whole CloudEvent
// as the event's data), same call sizes as the ledger. Fairness choices:
// - sequential calls all go to ONE stream per mode, the analogue of one tenant's log: each
//   append reads and advances that stream's position, as the ledger advances its head;
// - concurrent writers each own a stream (`writer-<n>`): Emmett's optimistic check makes
//   concurrent appends to one stream fail rather than queue, and a stream per aggregate is how
//   it is meant to be used — the ledger, by contrast, keeps all writers on one linear log;
// - its defaults otherwise (pg pool of 10, no projections); schema migrated, 5000 events
//   written and the tables analyzed before timing, exactly as for the ledger.
export const emmett: Benchmark = {
  name: 'emmett',
  what: 'Peer: Emmett PostgreSQL event store appendToStream at 1, 100, 1000 ev/call; 16 and 32 concurrent writers',
  postgres: true,
  async run(ctx) {
    const scratch = await scratchSchema('emmett');
    // Emmett creates its functions only if none of that name exists in any schema.
    const { rows } = await admin((c) =>
      c.query("SELECT pronamespace::regnamespace::text AS schema FROM pg_proc WHERE proname = 'emt_append_to_stream'"),
    );
    if (rows.length > 0) {
      await scratch.drop();
      throw new Error(`Emmett's functions already exist in schema ${rows[0].schema}; it would not create them in a fresh schema`);
    }
    const store: PostgresEventStore = getPostgreSQLEventStore(scratch.searchPathUrl);
    const out: Measurement[] = [];
    try {
      await store.schema.migrate();
      // Same steady state as the ledger's: 5000 events in, then planner statistics.
      for (let i = 0; i < 50; i++)
        await store.appendToStream(
          'warm-up',
          events(100).map((data) => ({ type: EVENT_TYPE, data })),
        );
      await scratch.analyze();
      for (const mode of ingestModes(ctx, [16, 32])) {
        const result = await measureRate(ctx.rounds, () => {
          const evs = events(mode.events).map((data) => ({ type: EVENT_TYPE, data }));
          return { count: mode.events, run: () => append(store, mode, evs) };
        });
        out.push({
          id: `emmett.${modeKey(mode)}`,
          name: `Emmett PG, ${modeLabel(mode)}`,
          value: result.median,
          unit: 'ev/s',
          details: {
            eventsPerRound: mode.events,
            rounds: result.rounds,
            min: result.min,
            max: result.max,
            streams: mode.kind === 'batch' ? 'one per mode' : 'one per writer',
          },
        });
        ctx.log(`  ${out[out.length - 1].name}: ${Math.round(result.median)} ev/s`);
      }
      return out;
    } finally {
      await store.close();
      await scratch.drop();
    }
  },
};

async function append(store: PostgresEventStore, mode: IngestMode, evs: { type: string; data: Record<string, unknown> }[]): Promise<void> {
  if (mode.kind === 'batch') {
    const stream = `bench-${modeKey(mode)}`;
    for (let i = 0; i < evs.length; i += mode.batch) await store.appendToStream(stream, evs.slice(i, i + mode.batch));
  } else {
    await concurrently(evs.length, mode.writers, (i, writer) => store.appendToStream(`writer-${writer}`, [evs[i]]));
  }
}
