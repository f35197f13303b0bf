import { ArchiveFailure, ArchiveStore, ArchiveVerification } from '@evidence-ledger/archive';
import { CommandIo } from '../command-io';
import { EXIT, ExitCode } from '../exit-codes';

export interface ArchiveReport {
  readonly archive: ArchiveStore;
  readonly store: string;
  readonly publicKey: string;
  readonly reports: readonly ArchiveVerification[];
}

// Prints what `archive verify` found (text, or JSON with --json) and turns it into the exit code.
export function printArchiveReport(report: ArchiveReport, json: boolean, io: CommandIo): ExitCode {
  const ok = report.reports.every((r) => r.ok);
  if (json) {
    io.out(
      `${JSON.stringify(
        {
          ok,
          archive: report.archive.location,
          worm: report.archive.worm,
          store: report.store,
          publicKey: report.publicKey,
          tenants: report.reports,
        },
        null,
        2,
      )}\n`,
    );
    return ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
  }
  // A log signed by another key is said first, so it does not read like tampering.
  for (const r of report.reports)
    if (r.failure?.code === 'WRONG_KEY') io.out(`FAILED: tenant ${r.tenant}'s archive was ${r.failure.message}\n`);
  const worm = report.archive.worm ? 'S3 Object Lock' : 'disk: read-only files, not WORM';
  io.out(`archive     ${report.archive.location} (${worm})\nlive store  ${report.store}\npublic key  ${report.publicKey}\n`);
  for (const r of report.reports) printTenant(r, io);
  return ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
}

function printTenant(r: ArchiveVerification, io: CommandIo): void {
  io.out(`\ntenant ${r.tenant}${r.origin ? ` (origin ${r.origin})` : ''}\n`);
  for (const s of r.segments) {
    const lock = s.object.lockMode === 'DISK' ? 'read-only' : (s.object.lockMode ?? 'UNLOCKED');
    const until = s.object.retainUntil ? ` until ${s.object.retainUntil.toISOString().slice(0, 10)}` : '';
    io.out(
      `  ok  ${s.key}  entries ${s.from}..${s.to - 1}, ${s.checkpoints} checkpoints, sha256 ${s.object.sha256.slice(0, 16)}…, ${lock}${until}${s.object.legalHold ? ', legal hold' : ''}\n`,
    );
  }
  if (r.live) {
    io.out(
      `  live log at tree size ${r.live.treeSize} (${r.live.entriesAfterArchive} entries after the archive): consistent with every archived segment (${r.segments.length} consistency proof(s) from the live store)\n`,
    );
  }
  if (r.keysLearned.length > 0) io.out(`  keys learned from rotations: ${r.keysLearned.join(', ')}\n`);
  for (const w of r.warnings) io.out(`  warning: ${w}\n`);
  if (r.failure) {
    io.out(`FAILED${locate(r.failure)}: ${withoutLocation(r.failure.message)} [${r.failure.code}]\n`);
  } else {
    io.out(
      `OK: ${r.segments.length} segment(s), ${r.entries} entries: bytes, hashes, chain, Merkle roots and signatures verified, and the live log matches them\n`,
    );
  }
}

// " in segments/acme/….jsonl at line 14 (sequence 12)", " in the live log at sequence 12", …
function locate(f: ArchiveFailure): string {
  const what =
    f.code.startsWith('CHECKPOINT_') && f.treeSize !== undefined
      ? `checkpoint of tree size ${f.treeSize}`
      : f.sequence !== undefined
        ? `sequence ${f.sequence}`
        : undefined;
  const where = f.live ? (f.key ? ` in the live log (against ${f.key})` : ' in the live log') : f.key ? ` in ${f.key}` : '';
  if (f.line !== undefined && !f.live) return `${where} at line ${f.line}${what ? ` (${what})` : ''}`;
  return `${where}${what ? ` at ${what}` : ''}`;
}

function withoutLocation(message: string): string {
  return message.replace(/^(entry \d+|checkpoint at tree size \d+|line \d+): /, '');
}
