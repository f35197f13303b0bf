import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { SqliteLedgerStore } from '@evidence-ledger/store';
import { Benchmark, BenchContext } from './benchmark';
import { BuiltLog } from './log-fixture';
import { measureRate, summarize } from './measure';
import { Measurement } from './report';
import { ChildMode, ChildReport } from './verify-child';

// Full verification of the shared SQLite log (1M entries in a full run): every leaf hash,
// chain link, stored Merkle node and checkpoint signature, streamed from the store, each run
// in a fresh process so the peak RSS is the verifier's own. Beside it, measured on the same
// bytes in the same run: reading alone, reading + one SHA-256 per entry, and SHA-256 alone.
export const verify: Benchmark = {
  name: 'verify',
  what: 'verifyLogStream over the SQLite log (1M entries; 100k with --quick), peak RSS; vs SHA-256 of the same bytes',
  postgres: false,
  async run(ctx) {
    const log = await ctx.sqliteLog();
    const out: Measurement[] = [];
    // Each round is a cold process reading the whole log; no warm-up round is needed.
    const reports: ChildReport[] = [];
    for (let i = 0; i < (ctx.quick ? 1 : 3); i++) reports.push(await runChild('verify', log));
    const verified = summarize(reports.map((r) => r.entries / r.seconds));
    out.push({
      id: 'verify.sqlite',
      name: `verify ${log.entries / 1000}k entries from SQLite`,
      value: verified.median,
      unit: 'ev/s',
      details: {
        entries: log.entries,
        checkpoints: log.checkpoints,
        rounds: verified.rounds,
        min: verified.min,
        max: verified.max,
        meanEntryBytes: log.meanEntryBytes,
      },
    });
    out.push({
      id: 'verify.sqlite.rss',
      name: `verify ${log.entries / 1000}k, peak RSS`,
      value: Math.max(...reports.map((r) => r.maxRssMiB)),
      unit: 'MiB',
    });
    for (const mode of ['read', 'read-sha256'] as const) {
      const r = await runChild(mode, log);
      out.push({
        id: `verify.${mode}`,
        name: mode === 'read' ? 'read entries from SQLite only' : 'read + SHA-256 per entry',
        value: r.entries / r.seconds,
        unit: 'ev/s',
        details: { entries: r.entries, maxRssMiB: r.maxRssMiB },
      });
    }
    out.push(await sha256InMemory(ctx, log));
    for (const m of out) ctx.log(`  ${m.name}: ${Math.round(m.value)} ${m.unit}`);
    return out;
  },
};

function runChild(mode: ChildMode, log: BuiltLog): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'verify-child.js'), [mode, log.file, log.tenant, log.origin, log.verifierKey], { stdio: 'inherit' });
    let report: ChildReport | undefined;
    child.on('message', (m) => (report = m as ChildReport));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!report) return reject(new Error(`verify child (${mode}) exited with ${code} and no report`));
      if (!report.ok) return reject(new Error(`verify child (${mode}) failed: ${report.failure ?? 'the log did not verify'}`));
      resolve(report);
    });
  });
}

// createHash('sha256') once per entry over the same canonical bytes, held in memory (a slice
// of the log, hashed repeatedly): the hashing floor without any I/O.
async function sha256InMemory(ctx: BenchContext, log: BuiltLog): Promise<Measurement> {
  const store = await SqliteLedgerStore.open(log.file);
  const bytes: Buffer[] = [];
  try {
    for await (const e of store.readEntries(log.tenant, 0, Math.min(log.entries, 100_000))) bytes.push(e.canonical);
  } finally {
    await store.close();
  }
  const passes = ctx.quick ? 1 : 5;
  const r = await measureRate(ctx.rounds, () => ({
    count: bytes.length * passes,
    run: () => {
      for (let p = 0; p < passes; p++) for (const b of bytes) createHash('sha256').update(b).digest();
    },
  }));
  return {
    id: 'verify.sha256',
    name: 'SHA-256 per entry, same bytes in memory',
    value: r.median,
    unit: 'ev/s',
    details: { entries: bytes.length, passes, rounds: r.rounds },
  };
}
