import { Command } from 'commander';
import { CliContext } from '../command-io';
import { registerArchiveSeal } from './archive-seal.command';
import { registerArchiveVerify } from './archive-verify.command';

export function registerArchive(program: Command, context: CliContext): void {
  const group = program
    .command('archive')
    .summary('seal log segments into the archive (S3 Object Lock or disk) and verify them against the live log')
    .description(
      'Sealed log segments are written once, locked for their retention period (docs/archive.md): to S3 with Object Lock in COMPLIANCE mode when LEDGER_ARCHIVE is s3://bucket/prefix, else to a directory (default ./data/archive).',
    );
  registerArchiveSeal(group, context);
  registerArchiveVerify(group, context);
}
