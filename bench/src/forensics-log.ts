import { ForensicsProjection } from '@evidence-ledger/forensics';
import { Ledger } from '@evidence-ledger/ledger';
import { demoScenario } from '@evidence-ledger/samples';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { LedgerStore, forensicsStoreOf, SqliteLedgerStore } from '@evidence-ledger/store';
import { BenchContext } from './benchmark';
import { scratchDir, ScratchDir } from './databases';
import { BENCH_PRODUCER, BENCH_TENANT } from './events';
import { BENCH_ORIGIN_PREFIX } from './log-fixture';
import { concurrently, now, seconds } from './measure';

/** A log of realistic change histories, written through `Ledger.append`. */
export interface ForensicsLog {
  readonly file: string;
  readonly entries: number;
  /** Every change id in the log. */
  readonly changes: string[];
  readonly rate: number;
}

const CALL_EVENTS = 1000;

// The demo scenario repeated with a different seed per round and its change ids made
// unique per round: ~530 entries per 36 changes, ~15 entries per change, every event type.
function* scenarioRounds(): Generator<{ events: Record<string, unknown>[]; changes: string[] }> {
  for (let round = 0; ; round++) {
    const s = demoScenario({ seed: 10_000 + round });
    const relabel = (text: string) => text.replace(/#(\d+)/g, `#${round}-$1`);
    yield { events: JSON.parse(relabel(JSON.stringify(s.events))), changes: s.changes.map(relabel) };
  }
}

// Appends `count` entries of change histories to the bench tenant: calls of up to 1000
// events, 8 in flight, as the other fixtures do. Events are generated as the calls are made,
// in order, so memory stays flat whatever the count.
export async function fillForensicsLog(store: LedgerStore, count: number): Promise<Omit<ForensicsLog, 'file'>> {
  const ledger = new Ledger({ store, signer: LocalKeySigner.generate(BENCH_ORIGIN_PREFIX), originPrefix: BENCH_ORIGIN_PREFIX });
  const changes: string[] = [];
  const rounds = scenarioRounds();
  let round: { events: Record<string, unknown>[]; changes: string[] } = { events: [], changes: [] };
  let offset = 0;
  let total = 0;
  // The next call's events, continuing the rounds; a round's changes are listed once it was
  // appended whole, so each listed change has its full history.
  const nextCall = (): Record<string, unknown>[] => {
    const call: Record<string, unknown>[] = [];
    while (call.length < CALL_EVENTS && total < count) {
      if (offset === round.events.length) {
        round = rounds.next().value as typeof round;
        offset = 0;
      }
      call.push(round.events[offset++]);
      total++;
      if (offset === round.events.length) changes.push(...round.changes);
    }
    return call;
  };
  const started = now();
  await concurrently(Math.ceil(count / CALL_EVENTS), 8, () => ledger.append(BENCH_TENANT, BENCH_PRODUCER, nextCall()));
  const rate = count / seconds(started);
  await ledger.close();
  return { entries: count, changes, rate };
}

let shared: { dir: ScratchDir; log: Promise<ForensicsLog> } | undefined;

/**
 * The SQLite forensics log `projection-catchup` and `timeline` share (1M entries; 100k with
 * --quick): built on first use, removed when the process exits. Its forensics tables are left
 * empty; whoever needs them projects them.
 */
export function sharedForensicsLog(ctx: BenchContext): Promise<ForensicsLog> {
  if (!shared) {
    const dir = scratchDir('forensics');
    process.once('exit', () => dir.remove());
    const entries = ctx.quick ? 100_000 : 1_000_000;
    const log = (async () => {
      ctx.log(`  building a ${entries / 1000}k-entry SQLite log of change histories through Ledger.append`);
      const file = dir.file('forensics.db');
      const store = await SqliteLedgerStore.open(file);
      try {
        await store.migrate();
        await forensicsStoreOf(store).migrate({ tables: new ForensicsProjection().tables });
        const built = await fillForensicsLog(store, entries);
        ctx.log(`  built in ${(entries / built.rate).toFixed(1)} s: ${Math.round(built.rate)} ev/s, ${built.changes.length} changes`);
        return { file, ...built };
      } finally {
        await store.close();
      }
    })();
    shared = { dir, log };
  }
  return shared.log;
}
