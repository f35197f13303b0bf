import { resolve } from 'node:path';
import { checkTrustedCheckpoint, NoteError, openCheckpoint } from '@evidence-ledger/core';
import { CommandIo } from '../command/command-io';
import { EXIT, ExitCode } from '../command/exit-codes';
import { readVerifiers } from '../command/public-key-input';
import { readTrustedCheckpoints } from '../command/trusted-checkpoints';
import { LEGACY_BUNDLE_FORMAT } from './bundle-format';
import { readChangeBundle } from './bundle-reader';
import { verifyChangeEvidence } from './change-verifier';
import { formatTimeline } from './timeline-printer';

export interface VerifyOptions {
  readonly publicKey: string;
  readonly json?: boolean;
  readonly previous?: string;
  readonly trustedCheckpoint?: readonly string[];
}

// Verifies a change bundle (directory or zip) offline with the public key file alone and prints
// the timeline, or every problem; exit 0 only if everything holds.
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
