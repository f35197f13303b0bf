import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseVerifierKey, verifyLogStream } from '@evidence-ledger/core';
import { SqliteLedgerStore } from '@evidence-ledger/store';
import { now, seconds } from './measure';

/** What one child run reports to verify.ts. */
export interface ChildReport {
  readonly entries: number;
  readonly seconds: number;
  /** Peak resident set size of the child process, MiB. */
  readonly maxRssMiB: number;
  readonly ok: boolean;
  readonly failure?: string;
}

export type ChildMode = 'verify' | 'read' | 'read-sha256';

// Runs in its own process so its peak RSS is its own: node:child_process fork() of this file
// with <mode> <sqlite file> <tenant> <origin> <verifier key>.
//  verify       verifyLogStream over the store's entries and checkpoints (what an auditor runs)
//  read         only iterate the entries (the store's share of the time)
//  read-sha256  iterate and SHA-256 each entry's bytes once (the floor for a streamed verifier)
async function main(): Promise<void> {
  const [mode, file, tenant, origin, verifierKey] = process.argv.slice(2) as [ChildMode, string, string, string, string];
  const store = await SqliteLedgerStore.open(file);
  let entries = 0;
  let ok = true;
  let failure: string | undefined;
  const started = now();
  if (mode === 'verify') {
    const report = await verifyLogStream(store.readEntries(tenant, 0), store.readCheckpoints(tenant), {
      trusted: [parseVerifierKey(verifierKey)],
      origin,
      tenant,
    });
    entries = report.entries;
    ok = report.ok && report.verifiedTreeSize === report.entries;
    failure = report.failure?.message;
  } else {
    for await (const e of store.readEntries(tenant, 0)) {
      if (mode === 'read-sha256') createHash('sha256').update(e.canonical).digest();
      entries++;
    }
  }
  const elapsed = seconds(started);
  await store.close();
  const report: ChildReport = { entries, seconds: elapsed, maxRssMiB: peakRssKiB() / 1024, ok, failure };
  process.send?.(report);
}

// The peak RSS of this process's own address space (VmHWM). Not getrusage's maxRSS: Linux
// carries that across fork + exec, so a child would report the parent's size at fork time.
function peakRssKiB(): number {
  try {
    const line = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
    if (line) return Number(line[1]);
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS;
}

main().catch((e: unknown) => {
  process.send?.({ entries: 0, seconds: 0, maxRssMiB: 0, ok: false, failure: String((e as Error).stack ?? e) } satisfies ChildReport);
  process.exitCode = 1;
});
