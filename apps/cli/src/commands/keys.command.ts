import { Command, Option } from 'commander';
import { CliContext, CommandIo } from '../command-io';
import { EXIT, ExitCode } from '../exit-codes';
import { ApiTarget, callLedger } from '../ledger-api-client';
import { registerKeysBreakGlass } from './keys-break-glass.command';
import { apiKeyOption, ledgerUrlOption } from '../ledger-target-options';

interface KeyView {
  id: string;
  name: string;
  role: string;
  sourcePrefix: string | null;
  createdAt: string;
  revokedAt: string | null;
  key?: string;
}

const targetOptions = (cmd: Command) => cmd.addOption(ledgerUrlOption()).addOption(apiKeyOption('an admin API key of your tenant'));

// API keys are managed through the service (admin role), so every rule of the API applies.
export function registerKeys(program: Command, context: CliContext): void {
  const { io, action } = context;
  const group = program
    .command('keys')
    .description("manage your tenant's API keys through the service (admin key); break-glass: an operator's way back in");
  targetOptions(group.command('create').summary('create an API key; prints it once'))
    .requiredOption('--name <name>', 'what the key is for, e.g. "agent-gateway (prod)"')
    .addOption(new Option('--role <role>', 'what the key may do').choices(['producer', 'auditor', 'admin']).makeOptionMandatory())
    .option('--source-prefix <prefix>', 'producer keys: every event source must start with this')
    .option('--json', 'print the result as JSON')
    .action(action((o: ApiTarget & { name: string; role: string; sourcePrefix?: string; json?: boolean }) => createKey(o, io)));
  targetOptions(group.command('list').summary('list API keys (never their secrets)'))
    .option('--json', 'print the result as JSON')
    .action(action((o: ApiTarget & { json?: boolean }) => listKeys(o, io)));
  targetOptions(group.command('revoke <id>').summary('revoke an API key by id')).action(
    action((id: string, o: ApiTarget) => revokeKey(id, o, io)),
  );
  registerKeysBreakGlass(group, context);
}

async function createKey(
  o: ApiTarget & { name: string; role: string; sourcePrefix?: string; json?: boolean },
  io: CommandIo,
): Promise<ExitCode> {
  const created = await callLedger<KeyView>(o, 'POST', 'v1/api-keys', { name: o.name, role: o.role, sourcePrefix: o.sourcePrefix });
  if (o.json) io.out(`${JSON.stringify(created)}\n`);
  else io.out(`created ${created.role} key ${created.id} (${created.name})\n  ${created.key}\n  (shown once — store it now)\n`);
  return EXIT.OK;
}

async function listKeys(o: ApiTarget & { json?: boolean }, io: CommandIo): Promise<ExitCode> {
  const { keys } = await callLedger<{ keys: KeyView[] }>(o, 'GET', 'v1/api-keys');
  if (o.json) io.out(`${JSON.stringify(keys)}\n`);
  else
    for (const k of keys)
      io.out(
        `${k.id}\t${k.role}\t${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}\t${k.name}${k.sourcePrefix ? `\tsource ${k.sourcePrefix}*` : ''}\n`,
      );
  return EXIT.OK;
}

async function revokeKey(id: string, o: ApiTarget, io: CommandIo): Promise<ExitCode> {
  await callLedger(o, 'DELETE', `v1/api-keys/${encodeURIComponent(id)}`);
  io.out(`revoked ${id}\n`);
  return EXIT.OK;
}
