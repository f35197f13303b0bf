import { readFileSync } from 'node:fs';
import { buildEvidencePack, TemplateCatalog } from '@evidence-ledger/evidence';
import { Ledger } from '@evidence-ledger/ledger';
import { rawPublicKeys, verifyEvidencePack } from '@evidence-ledger/verify';
import { LocalKeySigner, parsePublicKeys } from '@evidence-ledger/signing';
import { SqliteLedgerStore } from '@evidence-ledger/store';
import { BENCH_TENANT } from './events';
import { BENCH_ORIGIN_PREFIX } from './log-fixture';
import { now, seconds } from './measure';

/** What one child run reports to evidence-pack.ts. */
export interface PackChildReport {
  readonly entries: number;
  readonly zipBytes: number;
  readonly buildSeconds: number;
  /** Peak resident set size of the child while building (before verifying), MiB. */
  readonly buildMaxRssMiB: number;
  readonly verifySeconds: number;
  readonly ok: boolean;
  readonly failure?: string;
}

// Runs in its own process so its peak RSS is its own: fork() of this file with
// <sqlite file> <key file>. Builds the SOC 2 pack of the whole log, then verifies it.
async function main(): Promise<void> {
  const [file, keyFile] = process.argv.slice(2) as [string, string];
  const store = await SqliteLedgerStore.open(file);
  const signer = await LocalKeySigner.loadOrCreate(keyFile, BENCH_ORIGIN_PREFIX);
  const ledger = new Ledger({ store, signer, originPrefix: BENCH_ORIGIN_PREFIX });
  const template = TemplateCatalog.load().get('soc2');
  if (!template) throw new Error('no soc2 template');
  const started = now();
  const pack = await buildEvidencePack(
    ledger,
    { tenant: BENCH_TENANT, framework: 'soc2', from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z', repositories: [] },
    { template },
  );
  const buildSeconds = seconds(started);
  const buildMaxRssMiB = peakRssKiB() / 1024;
  const pem = signer.publicKeyPem();
  const verifyStarted = now();
  const v = verifyEvidencePack(pack.zip, { noteKeys: parsePublicKeys(pem), rawKeys: rawPublicKeys(pem) });
  const verifySeconds = seconds(verifyStarted);
  await store.close();
  const report: PackChildReport = {
    entries: pack.manifest.entries.end,
    zipBytes: pack.zip.length,
    buildSeconds,
    buildMaxRssMiB,
    verifySeconds,
    ok: v.ok,
    ...(v.ok ? {} : { failure: v.failures[0] }),
  };
  process.send?.(report);
}

// The peak RSS of this process's own address space (VmHWM), as verify-child.ts reads it.
function peakRssKiB(): number {
  const line = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  return line ? Number(line[1]) : process.resourceUsage().maxRSS;
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
