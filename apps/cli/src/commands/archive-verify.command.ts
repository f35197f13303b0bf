import { Command } from 'commander';
import { claimedCheckpoint, TrustedCheckpoint } from '@evidence-ledger/core';
import { listArchivedTenants, verifyArchive } from '@evidence-ledger/archive';
import { readVerifiers } from '@evidence-ledger/signing';
import { archiveOption, asCliError, defaultPublicKeyFile, openArchiveAt } from '../archive/archive-options';
import { printArchiveReport } from '../archive/archive-report';
import { CliError } from '../cli-error';
import { CliContext, CommandIo } from '../command-io';
import { ExitCode } from '../exit-codes';
import { openExistingStore, storeOption } from '../store-location';
import { readTrustedCheckpoints, trustedCheckpointOption } from '../trusted-checkpoints';

export interface ArchiveVerifyOptions {
  readonly store: string;
  readonly archive?: string;
  readonly tenant?: string;
  readonly publicKey?: string;
  readonly json?: boolean;
  readonly trustedCheckpoint?: readonly string[];
}

export function registerArchiveVerify(group: Command, { io, action }: CliContext): void {
  group
    .command('verify')
    .summary('verify the archived segments and check them against the live log')
    .description(
      "Verify every archived segment of each tenant (or one, with --tenant), in order from entry 0, the way verify-export checks an export: each entry re-hashed from its bytes, the chain, the Merkle roots, every checkpoint's signature, each segment's consistency proof, and each object's bytes against the SHA-256 recorded when it was archived. " +
        "Then check the live log against them: the same entries at the same sequences, and the live log's latest checkpoint consistent with every archived one (consistency proofs from the live store). With --trusted-checkpoint (one tenant's checkpoint; use with --tenant), they must also extend each checkpoint given. Exit 1 names the segment, line and entry at fault.",
    )
    .addOption(archiveOption())
    .addOption(storeOption())
    .option('--tenant <tenant>', 'verify only this tenant (default: every tenant with archived segments)')
    .option(
      '--public-key <file>',
      `the ledger's public key file (PEM and/or vkey lines; default: $LEDGER_KEY_FILE.pub, i.e. ./data/ledger.key.pub)`,
    )
    .addOption(trustedCheckpointOption())
    .option('--json', 'print the report as JSON')
    .action(action((options: ArchiveVerifyOptions) => verifyArchiveCommand(options, io)));
}

export async function verifyArchiveCommand(options: ArchiveVerifyOptions, io: CommandIo): Promise<ExitCode> {
  const publicKey = options.publicKey ?? defaultPublicKeyFile();
  const trusted = await readVerifiers(publicKey);
  const trustedCheckpoints = await readTrustedCheckpoints(options.trustedCheckpoint);
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
      const checkpointsOf = trustedCheckpointsByTenant(trustedCheckpoints, tenants, options.tenant !== undefined);
      const reports = [];
      for (const tenant of tenants)
        reports.push(await verifyArchive({ archive, store, tenant, trusted, trustedCheckpoints: checkpointsOf(tenant) }));
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

// Each trusted checkpoint goes to the tenant whose log it names (origin `<prefix>/<tenant>`).
// With --tenant, every one goes to that tenant, so one of another log fails as such; without,
// one that names no archived tenant is refused rather than ignored.
function trustedCheckpointsByTenant(
  checkpoints: readonly TrustedCheckpoint[],
  tenants: readonly string[],
  oneTenant: boolean,
): (tenant: string) => TrustedCheckpoint[] {
  if (oneTenant) return () => [...checkpoints];
  const tenantOf = (c: TrustedCheckpoint) => claimedCheckpoint(c.note).origin.split('/').at(-1) ?? '';
  const unmatched = checkpoints.find((c) => !tenants.includes(tenantOf(c)));
  if (unmatched) {
    throw new CliError(
      'INPUT_INVALID',
      `--trusted-checkpoint: ${unmatched.source} is for log "${claimedCheckpoint(unmatched.note).origin}", whose tenant has no archived segments`,
    );
  }
  return (tenant) => checkpoints.filter((c) => tenantOf(c) === tenant);
}
