import { Command } from 'commander';
import { isPackFile, verifyBundle, VerifyOptions, verifyPackFile } from '@evidence-ledger/verify';
import { CliContext } from '../command-io';
import { trustedCheckpointOption } from '../trusted-checkpoints';

export function registerVerify(program: Command, { io, action }: CliContext): void {
  program
    .command('verify')
    .summary('verify a change bundle or an evidence pack offline, with only the public key')
    .description(
      'Verify a change bundle written by `evidence-ledger replay --export`, without any server: every file against the manifest, the checkpoint signature, every entry against its leaf hash and inclusion proof, that every entry belongs to the change and the point, and the state by folding the entries again. Given an evidence pack (.zip): the Sigstore bundle over the manifest, every digest, every entry and proof, the checkpoint, consistency with --previous, and every control test re-run from the events. With --trusted-checkpoint, the signed tree of the bundle or pack must extend each checkpoint given (what the bundle or pack cannot prove is reported, never passed). Exit 1 names every problem; a bundle or pack signed by another key than the one given is said to be so first.',
    )
    .argument('<bundle>', 'the bundle directory, or an evidence pack (.zip)')
    .requiredOption('--public-key <file>', "the ledger's public key file (PEM and/or vkey lines)")
    .option('--previous <pack.zip>', 'evidence packs: the previous pack of the same framework, to prove the log was not rewritten')
    .addOption(trustedCheckpointOption())
    .option('--json', 'print the report as JSON')
    .action(
      action(async (bundle: string, options: VerifyOptions) =>
        (await isPackFile(bundle)) ? verifyPackFile(bundle, options, io) : verifyBundle(bundle, options, io),
      ),
    );
}
