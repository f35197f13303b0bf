import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { verifySegmentFile } from '../archive-segments/verify-segment-file';
import { verifyBundle } from '../change-bundle/verify-bundle-file';
import { verifyExportFile } from '../log-export/verify-export-file';
import { verifyPackFile } from '../packs/verify-pack-file';
import { verifyReceiptFile } from '../receipts/verify-receipt-file';
import { CliError } from './cli-error';
import { CommandIo } from './command-io';
import { reportError } from './error-reporter';
import { EXIT, ExitCode } from './exit-codes';

export const VERIFY_PROGRAM = 'evidence-ledger-verify';

const USAGE = `Usage: ${VERIFY_PROGRAM} <pack|bundle|export|segment|receipt> <file> --public-key <file> [options]

Verify Evidence Ledger evidence offline, trusting only the ledger's public key: no server,
database or network.

Commands:
  pack <pack.zip>        an evidence pack: the Sigstore bundle over the manifest, every digest,
                         entry and proof, the checkpoint, consistency with --previous, and every
                         control test re-run from the events
  bundle <dir|zip>       a change bundle written by \`evidence-ledger replay --export\`
  export <file.jsonl>    a log export written by \`evidence-ledger export\`
  segment <file.jsonl>   a sealed archive segment (\`evidence-ledger archive seal\`), copied out
                         of the archive
  receipt <receipt.json> the receipt(s) POST /v1/events returned

Options:
  --public-key <file>          the ledger's public key file (PEM and/or vkey lines); required
  --trusted-checkpoint <file>  a checkpoint you saw before, which what is verified must extend
                               (pack, bundle, export, segment; repeatable)
  --previous <pack.zip>        pack: the previous pack of the same framework
  --event <file>               receipt: the event JSON you posted (with --api-key)
  --api-key <key>              receipt: the producer API key the event was posted with
  --json                       print the report as JSON
  -h, --help                   print this help
  -V, --version                print the version

Exit codes:
  0  verified
  1  not verified: the output names every problem found
  2  usage or input error: bad arguments, unreadable file or key

Example:
  $ npx ${VERIFY_PROGRAM} pack soc2-q3.zip --public-key ledger.pub --previous soc2-q2.zip
`;

// What each subcommand accepts beyond --public-key and --json: anything else is a usage error,
// so a misspelt or misplaced option is never silently ignored.
const EXTRA_OPTIONS: Record<string, readonly string[]> = {
  pack: ['previous', 'trusted-checkpoint'],
  bundle: ['trusted-checkpoint'],
  export: ['trusted-checkpoint'],
  segment: ['trusted-checkpoint'],
  receipt: ['event', 'api-key'],
};

// The `evidence-ledger-verify` command line: the same checks, reports and exit codes as the
// main CLI's `verify`, `verify-export`, `verify-receipt` and (per segment) `archive verify`, in a package an auditor installs alone.
export async function runVerifyCommandLine(args: readonly string[], io: CommandIo): Promise<ExitCode> {
  try {
    return await run(args, io);
  } catch (error) {
    return reportError(error, io, { program: VERIFY_PROGRAM });
  }
}

async function run(args: readonly string[], io: CommandIo): Promise<ExitCode> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        'public-key': { type: 'string' },
        'trusted-checkpoint': { type: 'string', multiple: true },
        previous: { type: 'string' },
        event: { type: 'string' },
        'api-key': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (cause) {
    throw usage((cause as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return EXIT.OK;
  }
  if (values.version) {
    io.out(`${packageVersion()}\n`);
    return EXIT.OK;
  }
  const [command, file, ...rest] = positionals;
  if (command === undefined) throw usage('a command is required: pack, bundle, export, segment or receipt');
  const extra = EXTRA_OPTIONS[command];
  if (extra === undefined) throw usage(`unknown command "${command}": pack, bundle, export, segment or receipt`);
  if (file === undefined) throw usage(`${command}: the file to verify is required`);
  if (rest.length > 0) throw usage(`${command}: one file at a time (got also ${rest.join(' ')})`);
  const misplaced = Object.keys(values).filter((name) => !['public-key', 'json', ...extra].includes(name));
  if (misplaced.length > 0) throw usage(`${command} takes no --${misplaced.join(', --')}`);
  const publicKey = values['public-key'];
  if (publicKey === undefined) throw usage(`${command}: --public-key <file> is required`);
  const json = values.json === true;
  const trustedCheckpoint = values['trusted-checkpoint'];
  switch (command) {
    case 'pack':
      return verifyPackFile(file, { publicKey, json, previous: values.previous, trustedCheckpoint }, io);
    case 'bundle':
      return verifyBundle(file, { publicKey, json, trustedCheckpoint }, io);
    case 'export':
      return verifyExportFile(file, { publicKey, json, trustedCheckpoint }, io);
    case 'segment':
      return verifySegmentFile(file, { publicKey, json, trustedCheckpoint }, io);
    default:
      return verifyReceiptFile(file, { publicKey, json, event: values.event, apiKey: values['api-key'] }, io);
  }
}

function usage(message: string): CliError {
  return new CliError('USAGE', `${message} (see ${VERIFY_PROGRAM} --help)`);
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}
