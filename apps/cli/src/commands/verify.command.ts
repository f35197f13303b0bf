import { resolve } from 'node:path';
import { Command } from 'commander';
import { checkTrustedCheckpoint, NoteError, openCheckpoint } from '@evidence-ledger/core';
import { readVerifiers } from '@evidence-ledger/signing';
import { CliContext, CommandIo } from '../command-io';
import { EXIT, ExitCode } from '../exit-codes';
import { readChangeBundle } from '../change-bundle/bundle-reader';
import { LEGACY_BUNDLE_FORMAT } from '../change-bundle/bundle-format';
import { verifyChangeEvidence } from '../change-bundle/change-verifier';
import { formatTimeline } from '../change-bundle/timeline-printer';
import { isPackFile, verifyPackFile } from '../packs/verify-pack';
import { readTrustedCheckpoints, trustedCheckpointOption } from '../trusted-checkpoints';

export interface VerifyOptions {
  readonly publicKey: string;
  readonly json?: boolean;
  readonly previous?: string;
  readonly trustedCheckpoint?: readonly string[];
}

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

export async function verifyBundle(bundle: string, options: VerifyOptions, io: CommandIo): Promise<ExitCode> {
  const trusted = await readVerifiers(options.publicKey);
  const trustedCheckpoints = await readTrustedCheckpoints(options.trustedCheckpoint);
  const path = resolve(bundle);
  const read = await readChangeBundle(path);
  const failures = [...read.failures];
  const legacyState = read.manifest.format === LEGACY_BUNDLE_FORMAT;
  const wrongKey = wrongKeyOf(read.evidence?.checkpoint, trusted);
  const verification = read.evidence ? verifyChangeEvidence(read.evidence, trusted, { legacyState }) : undefined;
  if (verification) failures.push(...verification.failures);
  const c = verification?.checkpoint;
  if (c && (c.origin !== read.manifest.origin || c.treeSize !== read.manifest.treeSize || c.rootHash !== read.manifest.rootHash))
    failures.push(`${'manifest.json'}: its checkpoint (origin, tree size, root) differs from the signed one`);
  if (read.evidence && read.manifest.steps !== read.evidence.steps.length)
    failures.push(`manifest.json: it lists ${read.manifest.steps} steps, the bundle holds ${read.evidence.steps.length}`);
  // A bundle proves its steps against one checkpoint and holds no leaves: it extends a trusted
  // checkpoint only when it is that checkpoint; anything else cannot be decided from it.
  for (const t of trustedCheckpoints) {
    if (!c) failures.push(`--trusted-checkpoint: ${t.source} cannot be checked: the bundle's own checkpoint does not verify`);
    else {
      const tree = { origin: c.origin, treeSize: c.treeSize, rootHash: Buffer.from(c.rootHash, 'base64') };
      const failure = checkTrustedCheckpoint(t, trusted, tree, () => undefined, 'the bundle');
      if (failure) failures.push(`--trusted-checkpoint: ${failure.message}`);
    }
  }
  const ok = failures.length === 0;
  // Nothing to verify (no step) is never OK, and is told apart from a failure only when it is the sole problem.
  const outcome = ok ? 'verified' : verification?.outcome === 'empty' && failures.length === 1 ? 'empty' : 'failed';
  if (options.json) {
    const report = {
      ok,
      outcome,
      bundle: path,
      format: read.manifest.format,
      changeId: read.manifest.changeId,
      ...(read.manifest.asOf ? { asOf: read.manifest.asOf } : {}),
      checkpoint: c,
      steps: verification?.steps.length ?? 0,
      checks: verification?.steps ?? [],
      ...(wrongKey ? { wrongKey } : {}),
      failures,
    };
    io.out(`${JSON.stringify(report, null, 2)}\n`);
    return ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
  }
  // A bundle signed by another key is said first, so the failures it causes do not read like tampering.
  if (wrongKey) io.out(`FAILED: ${wrongKey}\n`);
  if (read.evidence && verification) {
    io.out(formatTimeline(read.evidence, { ...verification, ok, outcome, failures }));
  } else {
    io.out(`FAILED: ${failures.length} problem(s)\n${failures.map((f) => `  ${f}\n`).join('')}`);
  }
  return ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
}

// The wrong-key message when the bundle's checkpoint names none of the keys given.
function wrongKeyOf(note: string | undefined, trusted: Parameters<typeof openCheckpoint>[1]): string | undefined {
  if (note === undefined) return undefined;
  try {
    openCheckpoint(note, trusted);
    return undefined;
  } catch (e) {
    return e instanceof NoteError && e.code === 'NOTE_UNVERIFIED' ? e.message : undefined;
  }
}
