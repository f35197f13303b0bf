import { Command } from 'commander';
import { EXPORT_FORMAT, VerifyExportOptions, verifyExportFile } from '@evidence-ledger/verify';
import { CliContext } from '../command-io';
import { trustedCheckpointOption } from '../trusted-checkpoints';

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
