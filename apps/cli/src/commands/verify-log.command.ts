import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { verifyLogStream } from '@evidence-ledger/core';
import { readVerifiers } from '@evidence-ledger/signing';
import { StoredCheckpoint } from '@evidence-ledger/store';
import { CliContext, CommandIo } from '../command-io';
import { ExitCode } from '../exit-codes';
import { openExistingStore, storeOption, unknownTenant } from '../store-location';
import { readTrustedCheckpoints, trustedCheckpointOption } from '../trusted-checkpoints';
import { printSummary, summarize } from '@evidence-ledger/verify';

export interface VerifyLogOptions {
  readonly store: string;
  readonly tenant: string;
  readonly publicKey: string;
  readonly origin?: string;
  readonly json?: boolean;
  readonly trustedCheckpoint?: readonly string[];
}

export function registerVerifyLog(program: Command, { io, action }: CliContext): void {
  program
    .command('verify-log')
    .summary("verify a tenant's whole log in a store")
    .description(
      "Stream a tenant's whole log out of the store and re-derive it from the entry bytes alone: every " +
        'leaf hash (RFC 6962), every chain link, every stored Merkle node, and every checkpoint signature and root. Only the public key is trusted; keys rotated in by co-signed entries are learned. With --trusted-checkpoint, the log must also extend each checkpoint given (a log cut back to an earlier size, or rewritten, fails). Reports the first bad entry by sequence (exit 1); a log signed by another key than the one given is said to be so first.',
    )
    .addOption(storeOption())
    .requiredOption('--tenant <tenant>', 'the tenant whose log to verify')
    .requiredOption('--public-key <file>', "the ledger's public key file (PEM and/or vkey lines)")
    .option('--origin <origin>', 'require this checkpoint origin, e.g. ledger.example.com/acme (default: not checked)')
    .addOption(trustedCheckpointOption())
    .option('--json', 'print the report as JSON')
    .action(action((options: VerifyLogOptions) => verifyLog(options, io)));
}

// Verifies the log up to the store's head as read at the start: appends that land while it
// runs are left for the next run instead of showing up as an unsigned tail.
export async function verifyLog(options: VerifyLogOptions, io: CommandIo): Promise<ExitCode> {
  const trusted = await readVerifiers(options.publicKey);
  const trustedCheckpoints = await readTrustedCheckpoints(options.trustedCheckpoint);
  const store = await openExistingStore(options.store);
  try {
    const { treeSize } = await store.head(options.tenant);
    if (treeSize === 0) throw await unknownTenant(store, options.tenant);
    const started = performance.now();
    const report = await verifyLogStream(
      store.readEntries(options.tenant, 0, treeSize),
      upTo(store.readCheckpoints(options.tenant), treeSize),
      { trusted, origin: options.origin, tenant: options.tenant, trustedCheckpoints },
    );
    const subject = { tenant: options.tenant, store: store.location, ...(options.origin ? { origin: options.origin } : {}) };
    return printSummary(summarize(report, subject, performance.now() - started), options.json === true, io);
  } finally {
    await store.close();
  }
}

async function* upTo(checkpoints: AsyncIterable<StoredCheckpoint>, treeSize: number): AsyncIterable<StoredCheckpoint> {
  for await (const c of checkpoints) {
    if (c.treeSize > treeSize) return;
    yield c;
  }
}
