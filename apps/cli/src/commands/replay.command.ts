import { resolve } from 'node:path';
import { Command } from 'commander';
import { formatAsOf, parseAsOfPoint } from '@evidence-ledger/core';
import { ChangeEvidence, formatTimeline, verifyChangeEvidence } from '@evidence-ledger/verify';
import { readVerifiers } from '@evidence-ledger/signing';
import { CliError } from '../cli-error';
import { CliContext, CommandIo } from '../command-io';
import { EXIT, ExitCode } from '../exit-codes';
import { ApiTarget, callLedger } from '../ledger-api-client';
import { writeChangeBundle } from '../change-bundle/bundle-writer';
import { apiKeyOption, ledgerUrlOption } from '../ledger-target-options';

export interface ReplayOptions extends ApiTarget {
  readonly publicKey: string;
  readonly asOf?: string;
  readonly json?: boolean;
  readonly export?: string;
  readonly force?: boolean;
}

export function registerReplay(program: Command, { io, action }: CliContext): void {
  program
    .command('replay')
    .summary("print a change's timeline, verifying every step against a signed checkpoint")
    .description(
      "Fetch a change's timeline from the service (GET /v1/changes/:id/replay, auditor key) and verify it with the public key alone: the checkpoint's signature, every entry's leaf hash and RFC 9162 inclusion proof, both clocks of every step against its entry, and — by folding the verified entries itself — the change's state. Exit 0 only when a signed checkpoint verified and every step shown was proven; exit 1 if anything fails to verify or nothing lies at or before the point (nothing was proven). --export writes an offline bundle that `evidence-ledger verify` checks.",
    )
    .argument('<changeId>', 'the change, e.g. github.com/acme/pay#482')
    .option(
      '--as-of <point>',
      "replay to a sequence number (41), or a time on a named clock: recorded:<RFC 3339> (recordedAt, the ledger's clock, proven by the log) or occurred:<RFC 3339> (time, the producer's clock); a bare time is read as recorded (default: now)",
    )
    .requiredOption('--public-key <file>', "the ledger's public key file (PEM and/or vkey lines)")
    .addOption(ledgerUrlOption())
    .addOption(apiKeyOption('an auditor (or admin) API key of your tenant'))
    .option('--json', 'print the verification report as JSON')
    .option('--export <path>', 'write a self-verifying bundle of the change: a directory, or one zip file when the path ends in .zip')
    .option('--force', 'replace the bundle if it exists')
    .action(action((changeId: string, options: ReplayOptions) => replay(changeId, options, io)));
}

export async function replay(changeId: string, options: ReplayOptions, io: CommandIo): Promise<ExitCode> {
  if (changeId.length === 0 || changeId.length > 1024) throw new CliError('USAGE', 'the change id must be 1 to 1024 characters');
  const trusted = await readVerifiers(options.publicKey);
  // The point is the one asked for, not the one the service echoes back; it is sent with its clock named.
  const point = options.asOf === undefined ? undefined : parseAsOfPoint(options.asOf);
  const asOf = point?.asOf;
  const query = asOf === undefined ? '' : `?asOf=${encodeURIComponent(formatAsOf(asOf))}`;
  const answer = await callLedger<ChangeEvidence>(options, 'GET', `v1/changes/${encodeURIComponent(changeId)}/replay${query}`);
  const evidence: ChangeEvidence = { ...answer, changeId, asOf };
  const verification = verifyChangeEvidence(evidence, trusted);
  const timeline = formatTimeline(evidence, verification, { clockDefaulted: point?.clockDefaulted });
  if (options.json) io.out(`${JSON.stringify(verification, null, 2)}\n`);
  else io.out(timeline);
  if (!verification.ok) {
    if (options.export !== undefined)
      io.err(`no bundle written to ${options.export}: the replay was not verified (${verification.outcome})\n`);
    return EXIT.VERIFICATION_FAILED;
  }
  if (options.export !== undefined) {
    const path = resolve(options.export);
    await writeChangeBundle(path, evidence, verification, timeline, { replace: options.force === true });
    if (!options.json)
      io.out(`bundle written to ${path}; check it offline with: evidence-ledger verify ${options.export} --public-key <file>\n`);
  }
  return EXIT.OK;
}
