import { canonicalJson, EventEnvelope, parseEventBatch, prepareEvent } from '@evidence-ledger/core';
import { Benchmark, size } from './benchmark';
import { events } from './events';
import { measureRate } from './measure';
import { Measurement } from './report';

// Reference lines for the per-event CPU work the ledger does before sequencing: RFC 8785
// alone (`canonicalJson`, the `canonicalize` package), the ledger's `prepareEvent` (canonical
// members kept apart so server fields merge in later), and envelope validation.
export const canonicalize: Benchmark = {
  name: 'canonicalize',
  what: 'Reference: RFC 8785 canonicalJson, prepareEvent, parseEventBatch per event',
  postgres: false,
  async run(ctx) {
    const count = size(ctx, 50_000, 5000);
    const cases: [string, string, (evs: Record<string, unknown>[]) => void][] = [
      ['canonical.json', 'RFC 8785 canonicalJson', (evs) => evs.forEach((e) => canonicalJson(e))],
      ['canonical.prepare', 'prepareEvent (canonical members)', (evs) => evs.forEach((e) => prepareEvent(e as unknown as EventEnvelope))],
      [
        'canonical.validate',
        'parseEventBatch (validation)',
        (evs) => {
          for (let i = 0; i < evs.length; i += 1000) parseEventBatch(evs.slice(i, i + 1000));
        },
      ],
    ];
    const out: Measurement[] = [];
    for (const [id, name, work] of cases) {
      const r = await measureRate(ctx.rounds, () => {
        const evs = events(count);
        return { count, run: () => work(evs) };
      });
      out.push({ id, name, value: r.median, unit: 'ev/s', details: { eventsPerRound: count, rounds: r.rounds, min: r.min, max: r.max } });
      ctx.log(`  ${name}: ${Math.round(r.median)} ev/s`);
    }
    return out;
  },
};
