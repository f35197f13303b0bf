import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { readVerifiers } from '@evidence-ledger/signing';
import { CliContext, CommandIo } from '../command-io';
import { ExitCode } from '../exit-codes';
import { openLines } from '../log-export/export-lines';
import { EXPORT_FORMAT } from '../log-export/export-format';
import { verifyExport } from '../log-export/export-verifier';
import { readTrustedCheckpoints, trustedCheckpointOption } from '../trusted-checkpoints';
import { printSummary, summarize } from '../verification-summary';

export interface VerifyExportOptions {
  readonly publicKey: string;
  readonly json?: boolean;
  readonly trustedCheckpoint?: readonly string[];
}

export function registerVerifyExport(program: Command, { io, action }: CliContext): void {
  program
    .command('verify-export')
    .summary('verify a log export offline, with only the public key')
    .description(
      `Verify a ${EXPORT_FORMAT} file (written by \`evidence-ledger export\`) without any server: ` +
        'every entry is re-hashed from its bytes, the hashes in the file are only compared, and every checkpoint must be signed by the given key (or one it rotated to). With --trusted-checkpoint, the export must also extend each checkpoint given (an export cut back to an earlier size, or rewritten, fails). Reports the first bad line and sequence (exit 1).',
    )
    .argument('<file>', 'the export to verify, e.g. acme.log.jsonl')
    .requiredOption('--public-key <file>', "the ledger's public key file (PEM and/or vkey lines)")
    .addOption(trustedCheckpointOption())
    .option('--json', 'print the report as JSON')
    .action(action((file: string, options: VerifyExportOptions) => verifyExportFile(file, options, io)));
}

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
