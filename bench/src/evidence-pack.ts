import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Ledger } from '@evidence-ledger/ledger';
import { demoScenario } from '@evidence-ledger/samples';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { SqliteLedgerStore } from '@evidence-ledger/store';
import { Benchmark } from './benchmark';
import { scratchDir } from './databases';
import { BENCH_PRODUCER, BENCH_TENANT } from './events';
import { PackChildReport } from './evidence-pack-child';
import { BENCH_ORIGIN_PREFIX } from './log-fixture';
import { Measurement } from './report';

const ENTRIES = 100_000;
const CALL_EVENTS = 1000;

// An evidence pack (SOC 2, with the summary PDF) of a 100k-entry log of change histories —
// the demo scenario repeated with fresh seeds — built in a child process so its time and peak
// RSS are the pack's own; then the pack is verified as an auditor would. The log size is the
// target's (docs/design.md: ≤ 3 s, RSS ≤ 512 MiB), with --quick too.
export const evidencePack: Benchmark = {
  name: 'evidence-pack',
  what: 'Evidence pack (SOC 2, PDF, proofs, OSCAL, DSSE) for a 100k-entry SQLite log: build time and peak RSS, then offline verification',
  postgres: false,
  async run(ctx) {
    const dir = scratchDir('evidence-pack');
    try {
      const file = dir.file('pack.db');
      const keyFile = dir.file('ledger.key');
      ctx.log(`  building a ${ENTRIES / 1000}k-entry SQLite log of change histories`);
      await fill(file, keyFile);
      const report = await new Promise<PackChildReport>((done, fail) => {
        const child = fork(join(__dirname, 'evidence-pack-child.js'), [file, keyFile], { stdio: 'inherit' });
        child.once('message', (m) => done(m as PackChildReport));
        child.once('exit', (code) => (code === 0 ? undefined : fail(new Error(`evidence-pack child exited ${code}`))));
      });
      if (!report.ok) throw new Error(`the benchmark's pack does not verify: ${report.failure}`);
      ctx.log(
        `  ${report.entries} entries → ${(report.zipBytes / 1024 / 1024).toFixed(1)} MiB zip in ${report.buildSeconds.toFixed(2)} s, peak RSS ${report.buildMaxRssMiB.toFixed(0)} MiB; verified in ${report.verifySeconds.toFixed(2)} s`,
      );
      const details = { entries: report.entries, zipBytes: report.zipBytes };
      const out: Measurement[] = [
        { id: 'evidence-pack.build', name: 'Evidence pack build, 100k entries (s)', value: report.buildSeconds, unit: 's', details },
        { id: 'evidence-pack.build.rss', name: 'Evidence pack build peak RSS (MiB)', value: report.buildMaxRssMiB, unit: 'MiB', details },
        {
          id: 'evidence-pack.verify',
          name: 'Evidence pack offline verification, 100k entries (s)',
          value: report.verifySeconds,
          unit: 's',
          details,
        },
      ];
      return out;
    } finally {
      dir.remove();
    }
  },
};

async function fill(file: string, keyFile: string): Promise<void> {
  const store = await SqliteLedgerStore.open(file);
  await store.migrate();
  const ledger = new Ledger({
    store,
    signer: await LocalKeySigner.loadOrCreate(keyFile, BENCH_ORIGIN_PREFIX),
    originPrefix: BENCH_ORIGIN_PREFIX,
  });
  let pending: Record<string, unknown>[] = [];
  let total = 0;
  for (let round = 0; total < ENTRIES; round++) {
    const s = demoScenario({ seed: 20_000 + round });
    const events = JSON.parse(JSON.stringify(s.events).replace(/#(\d+)/g, `#${round}-$1`)) as Record<string, unknown>[];
    for (const e of events) {
      if (total === ENTRIES) break;
      pending.push(e);
      total++;
      if (pending.length === CALL_EVENTS) {
        await ledger.append(BENCH_TENANT, BENCH_PRODUCER, pending);
        pending = [];
      }
    }
  }
  if (pending.length) await ledger.append(BENCH_TENANT, BENCH_PRODUCER, pending);
  await ledger.close();
  await store.close();
}
