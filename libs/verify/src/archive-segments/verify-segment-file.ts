import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { VerificationReport } from '@evidence-ledger/core';
import { CommandIo } from '../command/command-io';
import { ExitCode } from '../command/exit-codes';
import { readVerifiers } from '../command/public-key-input';
import { readTrustedCheckpoints } from '../command/trusted-checkpoints';
import { printSummary, summarize, VerificationSummary } from '../log-export/verification-summary';
import { checkSegment } from './segment-check';
import { openSegmentFile } from './segment-file';
import { SegmentHeader } from './segment-format';
import { segmentLines } from './segment-lines';

export interface VerifySegmentOptions {
  readonly publicKey: string;
  readonly json?: boolean;
  readonly trustedCheckpoint?: readonly string[];
}

const NOTHING_VERIFIED: VerificationReport = {
  ok: false,
  entries: 0,
  checkpoints: 0,
  verifiedTreeSize: 0,
  keysLearned: [],
  trustedCheckpoints: [],
};

// Verifies one sealed archive segment offline with the public key file alone and prints the
// summary, like an export's; exit 0 only if the whole segment holds (and extends every trusted
// checkpoint given).
export async function verifySegmentFile(file: string, options: VerifySegmentOptions, io: CommandIo): Promise<ExitCode> {
  const trusted = await readVerifiers(options.publicKey);
  const trustedCheckpoints = await readTrustedCheckpoints(options.trustedCheckpoint);
  const path = resolve(file);
  const bytes = await openSegmentFile(path);
  const started = performance.now();
  const checked = await checkSegment(segmentLines(bytes), { trusted, trustedCheckpoints });
  const report = checked.verifier?.finish() ?? NOTHING_VERIFIED;
  const summary = summarize(report, subjectOf(path, checked.header), performance.now() - started, checked.failure ?? report.failure);
  return printSummary(summary, options.json === true, io);
}

// Checked on its own, a segment after entry 0 starts from its signed opening checkpoint; the
// chain hash before its first entry is in no checkpoint, so only the segment before proves it.
function subjectOf(file: string, header: SegmentHeader | undefined): VerificationSummary['subject'] {
  if (!header) return { file };
  const { tenant, origin, from, to } = header;
  const subject = { file, tenant, origin, segment: `entries ${from}..${to - 1}` };
  if (from === 0) return subject;
  return {
    ...subject,
    start: `signed checkpoint at tree size ${from} (line 2); the chain hash before entry ${from} is proven by the previous segment`,
  };
}
