import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CommandIo } from '../command/command-io';
import { ExitCode } from '../command/exit-codes';
import { readVerifiers } from '../command/public-key-input';
import { readTrustedCheckpoints } from '../command/trusted-checkpoints';
import { openLines } from './export-lines';
import { verifyExport } from './export-verifier';
import { printSummary, summarize } from './verification-summary';

export interface VerifyExportOptions {
  readonly publicKey: string;
  readonly json?: boolean;
  readonly trustedCheckpoint?: readonly string[];
}

// Verifies a log export offline with the public key file alone and prints the summary; exit 0
// only if every line holds (and the export extends every trusted checkpoint given).
export async function verifyExportFile(file: string, options: VerifyExportOptions, io: CommandIo): Promise<ExitCode> {
  const trusted = await readVerifiers(options.publicKey);
  const trustedCheckpoints = await readTrustedCheckpoints(options.trustedCheckpoint);
  const path = resolve(file);
  const lines = await openLines(path);
  const started = performance.now();
  const { header, report, failure } = await verifyExport(lines, trusted, path, trustedCheckpoints);
  const subject = { file: path, tenant: String(header.tenant), origin: String(header.origin) };
  return printSummary(summarize(report, subject, performance.now() - started, failure), options.json === true, io);
}
