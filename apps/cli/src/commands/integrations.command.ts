import { Command } from 'commander';
import { CliContext, CommandIo } from '../command-io';
import { CliError } from '../cli-error';
import { EXIT, ExitCode } from '../exit-codes';
import { ApiTarget, callLedger } from '../ledger-api-client';
import { apiKeyOption, ledgerUrlOption } from '../ledger-target-options';

interface GithubSecretView {
  tenant: string;
  updatedAt: string;
  updatedBy: string | null;
  webhookPath: string;
  secret?: string;
}

const PATH = 'v1/integrations/github/secret';
const MAX_SECRET_BYTES = 1024;

const targetOptions = (cmd: Command) =>
  cmd.addOption(ledgerUrlOption()).addOption(apiKeyOption('an admin API key of your tenant')).option('--json', 'print the result as JSON');

// Integrations are configured through the service (admin role), like API keys.
export function registerIntegrations(program: Command, { io, action }: CliContext): void {
  const group = program.command('integrations').description("configure your tenant's integrations through the service (admin key)");
  const github = group.command('github-secret').description('the shared secret GitHub signs webhook deliveries with (X-Hub-Signature-256)');
  targetOptions(github.command('set').summary('set or rotate the secret; prints it once'))
    .option('--secret-stdin', 'read the secret from standard input instead of generating one (at least 32 characters)')
    .action(action((o: ApiTarget & { json?: boolean; secretStdin?: boolean }) => setSecret(o, io)));
  targetOptions(github.command('show').summary('show whether a secret is set, and since when (never the secret)')).action(
    action((o: ApiTarget & { json?: boolean }) => showSecret(o, io)),
  );
  targetOptions(github.command('remove').summary('remove the secret: every delivery is refused until a new one is set')).action(
    action((o: ApiTarget) => removeSecret(o, io)),
  );
}

async function setSecret(o: ApiTarget & { json?: boolean; secretStdin?: boolean }, io: CommandIo): Promise<ExitCode> {
  const secret = o.secretStdin ? await readSecret(process.stdin) : undefined;
  const view = await callLedger<GithubSecretView>(o, 'PUT', PATH, secret === undefined ? {} : { secret });
  if (o.json) io.out(`${JSON.stringify(view)}\n`);
  else
    io.out(
      `GitHub webhook secret for tenant ${view.tenant} set\n  ${view.secret}\n  (shown once — paste it into the webhook's Secret field now)\n` +
        `  Payload URL: ${new URL(view.webhookPath, o.url).href}\n  Content type: application/json\n`,
    );
  return EXIT.OK;
}

async function showSecret(o: ApiTarget & { json?: boolean }, io: CommandIo): Promise<ExitCode> {
  const view = await callLedger<GithubSecretView>(o, 'GET', PATH);
  if (o.json) io.out(`${JSON.stringify(view)}\n`);
  else
    io.out(
      `GitHub webhook secret for tenant ${view.tenant}: set ${view.updatedAt}${view.updatedBy ? ` by ${view.updatedBy}` : ''}\n  Payload URL: ${new URL(view.webhookPath, o.url).href}\n`,
    );
  return EXIT.OK;
}

async function removeSecret(o: ApiTarget, io: CommandIo): Promise<ExitCode> {
  await callLedger(o, 'DELETE', PATH);
  io.out('GitHub webhook secret removed; deliveries are refused until a new one is set\n');
  return EXIT.OK;
}

// One line; the trailing newline of `echo` or a file is not part of the secret.
async function readSecret(stdin: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > MAX_SECRET_BYTES)
      throw new CliError('INPUT_INVALID', `the secret on standard input is longer than ${MAX_SECRET_BYTES} bytes`);
    chunks.push(b);
  }
  const secret = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (secret === '') throw new CliError('INPUT_INVALID', 'no secret on standard input');
  return secret;
}
