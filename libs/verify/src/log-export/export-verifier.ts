import { LogVerifier, TrustedCheckpoint, TrustedNoteKey, VerificationFailureCode, VerificationReport } from '@evidence-ledger/core';
import { parseLogLine } from './log-lines';
import { CliError } from '../command/cli-error';
import { SummaryFailure } from './verification-summary';
import { FileLine } from './export-lines';
import { EXPORT_FORMAT, ExportHeader } from './export-format';

/** Problems only a file can have, on top of core's VerificationFailureCode. */
export type ExportFailureCode = 'HEADER_MALFORMED' | 'HEADER_MISMATCH' | 'LINE_MALFORMED' | 'EXPORT_TRUNCATED';

export interface ExportVerification {
  readonly header: ExportHeader;
  readonly report: VerificationReport;
  /** The first problem, with the 1-based line it is on. */
  readonly failure?: SummaryFailure;
}

// Verifies a log export line by line with core's LogVerifier: the entry bytes are re-hashed
// and the hashes in the file only compared, checkpoints must verify under `trusted` (plus keys
// rotated in by co-signed entries), for the header's origin and tenant. A file that is not an
// export at all is a CliError (exit 2); anything wrong inside one is a failure at its line.
export async function verifyExport(
  lines: AsyncIterable<FileLine>,
  trusted: readonly TrustedNoteKey[],
  source: string,
  trustedCheckpoints: readonly TrustedCheckpoint[] = [],
): Promise<ExportVerification> {
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new CliError('INPUT_INVALID', `${source} is empty, not a log export`);
  const header = readHeader(first.value.text, source);
  const verifier = new LogVerifier({ trusted, origin: header.origin, tenant: header.tenant, trustedCheckpoints });
  const failed = (failure: SummaryFailure & { code: ExportFailureCode | VerificationFailureCode }): ExportVerification => ({
    header,
    report: verifier.finish(),
    failure,
  });

  if (
    !Number.isSafeInteger(header.treeSize) ||
    header.treeSize < 0 ||
    typeof header.tenant !== 'string' ||
    typeof header.origin !== 'string'
  ) {
    return failed({
      code: 'HEADER_MALFORMED',
      line: 1,
      message: 'line 1: the header needs a tenant, an origin and a non-negative treeSize',
    });
  }
  let lastLine = 1;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const { number, text, terminated } = next.value;
    lastLine = number;
    if (!terminated) {
      return failed({
        code: 'EXPORT_TRUNCATED',
        line: number,
        message: `line ${number} is cut short (no newline at the end of the file): the file is truncated`,
      });
    }
    const parsed = parseLogLine(text);
    if (typeof parsed === 'string') {
      const sequence = sequenceOf(text);
      return failed({
        code: 'LINE_MALFORMED',
        line: number,
        sequence,
        message: `${sequence === undefined ? `line ${number}` : `entry ${sequence}`}: ${parsed}`,
      });
    }
    const ok =
      parsed.kind === 'entry' ? verifier.entry(parsed) : verifier.checkpoint({ note: parsed.note, treeSize: claimedTreeSize(parsed.note) });
    if (!ok) {
      const report = verifier.finish();
      return { header, report, failure: report.failure && { ...report.failure, line: number } };
    }
  }
  const entries = verifier.treeSize;
  if (entries < header.treeSize) {
    return failed({
      code: 'EXPORT_TRUNCATED',
      line: lastLine + 1,
      sequence: entries,
      message: `the file ends after line ${lastLine} with ${entries} entries, but its header promises ${header.treeSize}: it is truncated`,
    });
  }
  if (entries > header.treeSize) {
    return failed({
      code: 'HEADER_MISMATCH',
      line: 1,
      message: `line 1: the header says tree size ${header.treeSize}, but the file holds ${entries} entries`,
    });
  }
  const report = verifier.finish();
  if (report.failure)
    return { header, report, failure: { ...report.failure, line: lastLine, message: `at the end of the file: ${report.failure.message}` } };
  if (report.checkpoints === 0) return failed({ code: 'NO_CHECKPOINT', line: lastLine, message: 'the file holds no signed checkpoint' });
  return { header, report };
}

function readHeader(text: string, source: string): ExportHeader {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    throw new CliError('INPUT_INVALID', `${source} is not a JSON-lines log export: line 1 is not JSON`);
  }
  if (typeof header !== 'object' || header === null || (header as { format?: unknown }).format !== EXPORT_FORMAT) {
    throw new CliError('INPUT_INVALID', `${source} is not a log export: line 1 is not a "${EXPORT_FORMAT}" header`);
  }
  return header as ExportHeader;
}

// The tree size a checkpoint note claims, read before its signature is checked: only used to
// say which checkpoint failed (the verifier compares it with the signed one).
function claimedTreeSize(note: string): number | undefined {
  const size = note.split('\n')[1];
  return size !== undefined && /^(0|[1-9]\d{0,15})$/.test(size) ? Number(size) : undefined;
}

function sequenceOf(text: string): number | undefined {
  const match = /"sequence":(\d+)/.exec(text);
  return match ? Number(match[1]) : undefined;
}
