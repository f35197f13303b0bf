import { Command, Option } from 'commander';
import { Receipt } from '@evidence-ledger/core';
import { CliError } from '../cli-error';
import { CliContext, CommandIo } from '../command-io';
import { EXIT, ExitCode } from '../exit-codes';
import { ApiTarget, callLedger } from '../ledger-api-client';
import { parseSarifLog } from '../sarif/sarif-log';
import { SarifSummary, summarizeSarif } from '../sarif/sarif-summary';
import { FailOn, SCAN_KINDS, ScanKind, scanCompletedData } from '../sarif/scan-completed-data';
import { SCAN_SEVERITIES } from '../sarif/scan-severity';
import { DEFAULT_SOURCE, EnvelopeOptions, recordedEvent } from './record-event';
import { RECORD_INPUT_LIMITS, readDataArgument, readFileLimited } from './record-input';
import { checkReceipts, ReceiptCheck, trustedKeys } from './record-receipts';
import { apiKeyOption, ledgerUrlOption } from '../ledger-target-options';

interface PostOptions extends ApiTarget {
  readonly publicKey?: string;
  readonly json?: boolean;
}

type RecordOptions = PostOptions & EnvelopeOptions & { readonly data?: string };

type ScanOptions = PostOptions &
  EnvelopeOptions & {
    readonly sarif: string;
    readonly commit?: string;
    readonly kind: ScanKind;
    readonly repository?: string;
    readonly toolVersion?: string;
    readonly failOn: FailOn;
  };

// What both forms of `record` share: where to post, how to name the event, how to check the receipt.
const withEnvelopeOptions = (cmd: Command) =>
  cmd
    .option('--change <id>', 'the change the event belongs to, e.g. github.com/acme/pay#482')
    .addOption(new Option('--source <uri>', 'the producing service, a URI').env('LEDGER_SOURCE').default(DEFAULT_SOURCE))
    .option('--subject <subject>', 'the CloudEvents subject')
    .option('--actor <kind:id>', 'who acted: human:<id>, agent:<id> or service:<id>')
    .option('--id <uuid>', 'the event id (default: a new UUIDv7); repeat it with the same --time to retry safely')
    .option('--time <rfc3339>', 'when it happened (default: now)')
    .addOption(ledgerUrlOption())
    // Checked in the action: a mandatory option of `record` would also be demanded of `record scan`.
    .addOption(apiKeyOption('a producer API key of your tenant (required)', false))
    .option('--public-key <file>', "check the receipt against this ledger public key (PEM or vkey) instead of the service's published keys")
    .option('--json', 'print the receipts as JSON');

/** `record <type>` and `record scan`: post events from pipelines and check their receipts. */
export function registerRecord(program: Command, { io, action }: CliContext): void {
  const record = withEnvelopeOptions(
    program
      .command('record')
      .enablePositionalOptions()
      .summary('record an event (or a SARIF scan) through the service and verify its receipt')
      .description(
        'Post one event to the ledger (producer key) and check its receipt on the spot: the checkpoint signature, the leaf hash of the event sent and the inclusion proof. ' +
          'Exit 0 recorded and verified, 1 the receipt does not verify, 2 the event could not be recorded (bad input, refused, unreachable).',
      )
      .argument('<type>', 'the event type, e.g. review.decision.recorded or x.acme.release.note')
      .option('--data <json|@file|->', 'the event data: JSON, @file.json, or - for standard input'),
  ).action(action((type: string, o: RecordOptions) => recordEvent(type, o, io)));

  withEnvelopeOptions(
    record
      .command('scan')
      .summary('summarize a SARIF 2.1.0 file into scan.completed and record it')
      .description(
        'Counts the findings of each tool in a SARIF 2.1.0 file by level and by severity (security-severity scores when present, else error→high, warning→medium, note→low, none→info; suppressed results excluded), ' +
          'records one scan.completed per tool with the SHA-256 of the file, and verifies the receipts. The gate passes when no finding is at or above --fail-on.',
      )
      .requiredOption('--sarif <file>', `the SARIF file (at most ${RECORD_INPUT_LIMITS.sarifBytes / 1024 / 1024} MiB)`)
      .addOption(new Option('--commit <sha>', "the commit scanned (default: the SARIF run's versionControlProvenance)").env('GITHUB_SHA'))
      .addOption(new Option('--kind <kind>', 'the kind of scan').choices([...SCAN_KINDS]).default('sast'))
      .option('--repository <name>', 'the repository scanned, e.g. github.com/acme/pay')
      .option('--tool-version <version>', 'the tool version, for SARIF files that do not name it')
      .addOption(
        new Option('--fail-on <severity>', 'the least severe finding that fails the gate')
          .choices([...SCAN_SEVERITIES, 'none'])
          .default('high'),
      ),
  ).action(action((o: ScanOptions) => recordScan(o, io)));
}

async function recordEvent(type: string, o: RecordOptions, io: CommandIo): Promise<ExitCode> {
  requireApiKey(o);
  const data = o.data === undefined ? undefined : await readDataArgument(o.data, process.stdin);
  const event = recordedEvent(type, data, o);
  return post([event], o, io, (checks) => checks.map((c) => `recorded ${type} as sequence ${c.sequence} (id ${c.id})`));
}

async function recordScan(o: ScanOptions, io: CommandIo): Promise<ExitCode> {
  requireApiKey(o);
  const bytes = await readFileLimited(o.sarif, RECORD_INPUT_LIMITS.sarifBytes);
  const summary = summarizeSarif(parseSarifLog(bytes.toString('utf8'), o.sarif), bytes);
  const now = new Date();
  const events = summary.tools.map((tool, i) =>
    recordedEvent('scan.completed', scanCompletedData(tool, summary.sarifDigest, o), { ...o, id: i === 0 ? o.id : undefined }, now),
  );
  return post(events, o, io, (checks) => scanLines(summary, events, checks), summary);
}

function requireApiKey(o: ApiTarget): void {
  if (!o.apiKey) throw new CliError('USAGE', "required option '--api-key <key>' not specified (or set LEDGER_API_KEY)");
}

// Posts the events as one batch (all or nothing), checks every receipt, and reports.
async function post(
  events: Record<string, unknown>[],
  o: PostOptions,
  io: CommandIo,
  describe: (checks: ReceiptCheck[]) => string[],
  scan?: SarifSummary,
): Promise<ExitCode> {
  const receipts = await callLedger<Receipt[]>(o, 'POST', 'v1/events', events);
  const checks = checkReceipts(events, receipts, o.apiKey, await trustedKeys(o, o.publicKey));
  const failed = checks.filter((c) => c.problem);
  if (o.json) io.out(`${JSON.stringify({ verified: failed.length === 0, receipts, ...(scan && { scan }) })}\n`);
  else {
    for (const line of describe(checks)) io.out(`${line}\n`);
    if (failed.length === 0) io.out(`receipt${receipts.length > 1 ? 's' : ''} verified: ${checkpointLine(receipts[0])}\n`);
  }
  for (const c of failed) io.err(`evidence-ledger: the receipt for ${c.id} does not verify: ${c.problem}\n`);
  return failed.length === 0 ? EXIT.OK : EXIT.VERIFICATION_FAILED;
}

function scanLines(summary: SarifSummary, events: Record<string, unknown>[], checks: ReceiptCheck[]): string[] {
  return summary.tools.map((tool, i) => {
    const data = events[i].data as { tool: { version: string }; passed: boolean };
    const levels = Object.entries(tool.levels)
      .map(([level, n]) => `${n} ${level}`)
      .join(', ');
    const findings = Object.entries(tool.findings)
      .map(([severity, n]) => `${severity} ${n}`)
      .join(', ');
    return (
      `recorded scan.completed for ${tool.name} ${data.tool.version} as sequence ${checks[i].sequence} (id ${checks[i].id}): ` +
      `${levels}; ${findings}${tool.excluded ? `; ${tool.excluded} suppressed or fixed` : ''}; gate ${data.passed ? 'passed' : 'failed'}`
    );
  });
}

function checkpointLine(receipt: Receipt): string {
  const [origin, size] = receipt.checkpoint.split('\n');
  return `checkpoint ${origin} at tree size ${size}, signature, leaf and inclusion proof checked`;
}
