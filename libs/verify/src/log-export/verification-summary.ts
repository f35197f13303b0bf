import { VerificationReport } from '@evidence-ledger/core';
import { CommandIo } from '../command/command-io';
import { EXIT, ExitCode } from '../command/exit-codes';

/** The first problem found, located by entry sequence, checkpoint tree size and/or file line. */
export interface SummaryFailure {
  readonly code: string;
  readonly sequence?: number;
  readonly treeSize?: number;
  readonly line?: number;
  readonly message: string;
}

/** What `verify-log` and `verify-export` print (`--json` prints exactly this object). */
export interface VerificationSummary {
  readonly ok: boolean;
  /** What was verified, e.g. `{ tenant, store }` or `{ file, tenant, origin }`. */
  readonly subject: Readonly<Record<string, string | number>>;
  readonly entries: number;
  readonly checkpoints: number;
  readonly verifiedTreeSize: number;
  /** Standard base64 root of the last checkpoint that verified. */
  readonly verifiedRootHash?: string;
  /** Key ids learned from co-signed `ledger.key.rotated` entries. */
  readonly keysLearned: readonly string[];
  /** The `--trusted-checkpoint` files the log was shown to extend. */
  readonly trustedCheckpoints: readonly { readonly source: string; readonly treeSize: number }[];
  readonly failure?: SummaryFailure;
  readonly elapsedMs: number;
  readonly entriesPerSecond: number;
}

export function summarize(
  report: VerificationReport,
  subject: VerificationSummary['subject'],
  elapsedMs: number,
  failure: SummaryFailure | undefined = report.failure,
): VerificationSummary {
  return {
    ok: failure === undefined,
    subject,
    entries: report.entries,
    checkpoints: report.checkpoints,
    verifiedTreeSize: report.verifiedTreeSize,
    verifiedRootHash: report.verifiedRootHash?.toString('base64'),
    keysLearned: report.keysLearned,
    trustedCheckpoints: report.trustedCheckpoints,
    failure,
    elapsedMs: Math.round(elapsedMs * 10) / 10,
    entriesPerSecond: elapsedMs > 0 ? Math.round((report.entries * 1000) / elapsedMs) : 0,
  };
}

// Prints the summary (text or JSON) and turns it into the exit code.
export function printSummary(summary: VerificationSummary, json: boolean, io: CommandIo): ExitCode {
  if (json) {
    io.out(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    // A log signed by another key is said first, so it does not read like tampering.
    const wrongKey = summary.failure?.code === 'WRONG_KEY';
    if (wrongKey) io.out(`FAILED: ${summary.failure?.message}\n`);
    const rows: [string, string | number][] = [
      ...Object.entries(summary.subject),
      ['entries', summary.entries],
      ['checkpoints', summary.checkpoints],
      ['verified tree size', summary.verifiedTreeSize],
      ['root hash', summary.verifiedRootHash ?? '(none)'],
      ['keys learned', summary.keysLearned.length === 0 ? 'none' : summary.keysLearned.join(', ')],
      ...summary.trustedCheckpoints.map(({ source, treeSize }): [string, string] => [
        'trusted checkpoint',
        `${source} (tree size ${treeSize}): extended`,
      ]),
      ['speed', `${summary.entriesPerSecond.toLocaleString('en-US')} entries/s (${summary.elapsedMs} ms)`],
    ];
    io.out(rows.map(([k, v]) => `  ${k.padEnd(19)}${v}\n`).join(''));
    if (!wrongKey)
      io.out(summary.failure ? `FAILED${locate(summary.failure)}: ${withoutLocation(summary.failure.message)}\n` : okLine(summary));
  }
  return summary.ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
}

// An empty log verified says so: its only proof is a signed checkpoint of the empty tree.
function okLine(summary: VerificationSummary): string {
  const trusted = summary.trustedCheckpoints.length > 0 ? ', and the log extends every trusted checkpoint' : '';
  if (summary.entries === 0) return `OK: the log is EMPTY: it holds no entries; a signed checkpoint of tree size 0 verified${trusted}\n`;
  return `OK: every entry, chain link, Merkle node and signed checkpoint verified${trusted}\n`;
}

// " at line 12 (sequence 10)", " at checkpoint of tree size 60", " at sequence 41", or "".
function locate(f: SummaryFailure): string {
  const isCheckpoint = f.code.startsWith('CHECKPOINT_') && f.treeSize !== undefined;
  const what = isCheckpoint ? `checkpoint of tree size ${f.treeSize}` : f.sequence !== undefined ? `sequence ${f.sequence}` : undefined;
  if (f.line !== undefined) return ` at line ${f.line}${what ? ` (${what})` : ''}`;
  return what ? ` at ${what}` : '';
}

// Core's messages start with where they are ("entry 41: …"), which the FAILED line already says.
function withoutLocation(message: string): string {
  return message.replace(/^(entry \d+|checkpoint at tree size \d+|line \d+): /, '');
}
