import { Command } from 'commander';
import { listArchivedTenants, verifyArchive } from '@evidence-ledger/ledger';
import { readVerifiers } from '@evidence-ledger/signing';
import { archiveOption, asCliError, defaultPublicKeyFile, openArchiveAt } from '../archive/archive-options';
import { printArchiveReport } from '../archive/archive-report';
import { CliError } from '../cli-error';
import { CliContext, CommandIo } from '../command-io';
import { ExitCode } from '../exit-codes';
import { openExistingStore, storeOption } from '../store-location';

export interface ArchiveVerifyOptions {
  readonly store: string;
  readonly archive?: string;
  readonly tenant?: string;
  readonly publicKey?: string;
  readonly json?: boolean;
}

export function registerArchiveVerify(group: Command, { io, action }: CliContext): void {
  group
    .command('verify')
    .summary('verify the archived segments and check them against the live log')
    .description(
      "Verify every archived segment of each tenant (or one, with --tenant), in order from entry 0, the way verify-export checks an export: each entry re-hashed from its bytes, the chain, the Merkle roots, every checkpoint's signature, each segment's consistency proof, and each object's bytes against the SHA-256 recorded when it was archived. " +
        "Then check the live log against them: the same entries at the same sequences, and the live log's latest checkpoint consistent with every archived one (consistency proofs from the live store). Exit 1 names the segment, line and entry at fault.",
    )
    .addOption(archiveOption())
    .addOption(storeOption())
    .option('--tenant <tenant>', 'verify only this tenant (default: every tenant with archived segments)')
    .option(
      '--public-key <file>',
      `the ledger's public key file (PEM and/or vkey lines; default: $LEDGER_KEY_FILE.pub, i.e. ./data/ledger.key.pub)`,
    )
    .option('--json', 'print the report as JSON')
    .action(action((options: ArchiveVerifyOptions) => verifyArchiveCommand(options, io)));
}

export async function verifyArchiveCommand(options: ArchiveVerifyOptions, io: CommandIo): Promise<ExitCode> {
  const publicKey = options.publicKey ?? defaultPublicKeyFile();
  const trusted = await readVerifiers(publicKey);
  const store = await openExistingStore(options.store);
  try {
    const archive = await openArchiveAt(options.archive);
    try {
      const tenants = options.tenant !== undefined ? [options.tenant] : await listArchivedTenants(archive);
      if (tenants.length === 0) {
        throw new CliError(
          'INPUT_INVALID',
          `the archive ${archive.location} holds no sealed segments (seal some with: evidence-ledger archive seal)`,
        );
      }
      const reports = [];
      for (const tenant of tenants) reports.push(await verifyArchive({ archive, store, tenant, trusted }));
      return printArchiveReport({ archive, store: store.location, publicKey, reports }, options.json === true, io);
    } finally {
      await archive.close();
    }
  } catch (e) {
    throw asCliError(e);
  } finally {
    await store.close();
  }
}
