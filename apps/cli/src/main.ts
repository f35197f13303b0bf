import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { CliContext, CommandIo, processIo, RegisterCommand } from './command-io';
import { registerArchive } from './commands/archive.command';
import { registerExport } from './commands/export.command';
import { registerForensics } from './commands/forensics.command';
import { registerIntegrations } from './commands/integrations.command';
import { registerDemo } from './commands/demo.command';
import { registerKeys } from './commands/keys.command';
import { registerReplay } from './commands/replay.command';
import { registerVerify } from './commands/verify.command';
import { registerPack } from './commands/pack.command';
import { registerRecord } from './commands/record.command';
import { registerTenants } from './commands/tenants.command';
import { registerSigningKey } from './commands/signing-key.command';
import { registerVerifyExport } from './commands/verify-export.command';
import { registerVerifyLog } from './commands/verify-log.command';
import { registerVerifyReceipt } from './commands/verify-receipt.command';
import { reportError } from './error-reporter';
import { EXIT, ExitCode } from './exit-codes';

const COMMANDS: readonly RegisterCommand[] = [
  registerVerifyLog,
  registerExport,
  registerVerifyExport,
  registerVerifyReceipt,
  registerArchive,
  registerSigningKey,
  registerTenants,
  registerKeys,
  registerReplay,
  registerVerify,
  registerPack,
  registerForensics,
  registerDemo,
  registerRecord,
  registerIntegrations,
];

const HELP_FOOTER = `
Exit codes:
  0  verified (or done)
  1  verification failed: the output names the first bad sequence, checkpoint or line
  2  usage or input error: bad arguments, unreadable file or key, unreachable store, unknown tenant

Environment:
  LEDGER_STORE   default for --store
  LEDGER_ORIGIN  default for --origin-prefix (else evidence-ledger.local)
  LEDGER_ARCHIVE default for --archive (s3://bucket/prefix or a directory; else ./data/archive)
  LEDGER_URL     default for --url (keys, record, integrations, replay, pack, demo; else http://localhost:3000)
  LEDGER_API_KEY default for --api-key (keys, record, integrations, replay, pack, demo)
  LEDGER_SOURCE  default for record --source (else urn:evidence-ledger:cli)
  GITHUB_SHA     default for record scan --commit

Examples:
  $ evidence-ledger verify-log --store sqlite:./ledger.db --tenant acme --public-key ledger.pub
  $ evidence-ledger export --store postgres://ledger@db/ledger --tenant acme --out acme.log.jsonl
  $ evidence-ledger verify-export acme.log.jsonl --public-key ledger.pub --json
  $ evidence-ledger verify-log --store sqlite:./ledger.db --tenant acme --public-key ledger.pub --trusted-checkpoint seen.checkpoint
  $ evidence-ledger verify-receipt receipt.json --event event.json --api-key "$PRODUCER_KEY" --public-key ledger.pub
  $ evidence-ledger pack create --framework soc2 --from 2026-07-01T00:00:00Z --to 2026-10-01T00:00:00Z --out soc2-q3.zip
  $ evidence-ledger verify soc2-q3.zip --public-key ledger.pub --previous soc2-q2.zip
  $ evidence-ledger record scan --sarif results.sarif --change github.com/acme/pay#482 --commit "$GITHUB_SHA"
`;

// Builds the program; commander errors are thrown (exitOverride), never process.exit().
export function buildProgram(io: CommandIo, onExitCode: (code: ExitCode) => void): Command {
  const program = new Command('evidence-ledger')
    .description(
      'Evidence Ledger: verify and export hash-chained, RFC 6962 Merkle-tree logs with signed C2SP checkpoints; manage tenants, keys and signing keys.',
    )
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      outputError: (text, write) => write(`evidence-ledger: ${oneLine(text.replace(/^error: /, ''))}\n`),
    })
    .showSuggestionAfterError()
    // A command's options end where its subcommand begins (`record --json` vs `record scan --json`).
    .enablePositionalOptions()
    .addHelpText('after', HELP_FOOTER);
  const context: CliContext = {
    io,
    action:
      (run) =>
      async (...args) => {
        onExitCode(await run(...args));
      },
  };
  for (const register of COMMANDS) register(program, context);
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CommandIo = processIo): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.OK;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // Help and version end in a CommanderError with exit code 0; every other one is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    return reportError(error, io);
  }
}

// Commander puts "(Did you mean …?)" on a line of its own; every error here is one line.
function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

if (require.main === module) {
  // exitCode, not exit(): stdout is flushed before the process ends.
  void runCli(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
