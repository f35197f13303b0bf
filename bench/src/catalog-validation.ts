import { isCatalogEventType } from '@evidence-ledger/core';
import { demoScenario } from '@evidence-ledger/samples';
import { join } from 'node:path';
import { Benchmark, size } from './benchmark';
import { measureRate } from './measure';
import { Measurement } from './report';

type Violation = { path: string; message: string };
type ValidateEventData = (type: string, data: unknown, path: string) => Violation[];

// The service's own function, from its build (as the http.* benchmarks run its build).
function loadValidateEventData(): ValidateEventData {
  const file = join(__dirname, '../../apps/ledger/dist/catalog/validate-event-data.js');
  return (require(file) as { validateEventData: ValidateEventData }).validateEventData;
}

interface Sample {
  readonly type: string;
  readonly data: unknown;
}

// The typed events of the demo scenario (every catalog type, in the proportions of a delivery
// pipeline), with one in twenty broken the way producers break them: an unknown field, a
// number sent as a string, a field left out.
function mixedBatch(): Sample[] {
  const typed = demoScenario({ changes: 60 })
    .events.filter((e) => isCatalogEventType(String(e.type)))
    .map((e) => ({ type: String(e.type), data: e.data }));
  return typed.map((sample, i) => (i % 20 === 19 ? broken(sample, i) : sample));
}

function broken({ type, data }: Sample, i: number): Sample {
  const fields = { ...(data as Record<string, unknown>) };
  const [first] = Object.keys(fields);
  if (i % 3 === 0) fields.comment = 'not in the catalog';
  else if (i % 3 === 1) fields[first] = String(fields[first]) === fields[first] ? 42 : String(fields[first]);
  else delete fields[first];
  return { type, data: fields };
}

/** Per-event validation of typed `data` against the catalog, as `POST /v1/events` runs it. */
export const catalogValidation: Benchmark = {
  name: 'catalog',
  what: 'validateEventData per event over the catalog events of the demo scenario: all valid, and 5% invalid',
  postgres: false,
  async run(ctx) {
    const validateEventData = loadValidateEventData();
    const mixed = mixedBatch();
    const cases: [id: string, name: string, batch: Sample[]][] = [
      ['catalog.validate.valid', 'validateEventData (catalog events, all valid)', mixed.filter((_, i) => i % 20 !== 19)],
      ['catalog.validate.mixed', 'validateEventData (catalog events, 5% invalid)', mixed],
    ];
    const count = size(ctx, 200_000, 20_000);
    const out: Measurement[] = [];
    for (const [id, name, batch] of cases) {
      let refused = 0;
      const r = await measureRate(ctx.rounds, () => ({
        count,
        run: () => {
          refused = 0;
          for (let i = 0; i < count; i++) {
            const { type, data } = batch[i % batch.length];
            if (validateEventData(type, data, `[${i % 1000}].data`).length > 0) refused++;
          }
        },
      }));
      out.push({
        id,
        name,
        value: r.median,
        unit: 'ev/s',
        details: {
          eventsPerRound: count,
          distinctEvents: batch.length,
          refusedPerRound: refused,
          rounds: r.rounds,
          min: r.min,
          max: r.max,
        },
      });
      ctx.log(`  ${name}: ${Math.round(r.median)} ev/s (${(1e9 / r.median).toFixed(0)} ns/event)`);
    }
    return out;
  },
};
