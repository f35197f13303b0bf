import { Command } from 'commander';
import { assertTenantName } from '@evidence-ledger/core';
import { issueApiKey } from '@evidence-ledger/ledger';
import { CredentialStore, LedgerStore, openStore } from '@evidence-ledger/store';
import { CliError } from '../cli-error';
import { CliContext, CommandIo } from '../command-io';
import { EXIT, ExitCode } from '../exit-codes';
import { storeOption } from '../store-location';

// Tenants are an operator's business: these commands open the database directly (there is
// no cross-tenant administrator over HTTP, by design).
export function registerTenants(program: Command, { io, action }: CliContext): void {
  const group = program.command('tenants').description('create and list tenants (operator; opens the store directly)');
  group
    .command('create <name>')
    .summary('create a tenant with its own log and print its first admin API key')
    .addOption(storeOption())
    .option('--json', 'print the result as JSON')
    .action(action((name: string, options: { store: string; json?: boolean }) => createTenant(name, options, io)));
  group
    .command('list')
    .summary('list tenants')
    .addOption(storeOption())
    .action(action((options: { store: string }) => listTenants(options, io)));
}

export async function createTenant(name: string, options: { store: string; json?: boolean }, io: CommandIo): Promise<ExitCode> {
  try {
    assertTenantName(name);
  } catch (e) {
    throw new CliError('USAGE', (e as Error).message);
  }
  return withCredentials(options.store, async (store) => {
    if (!(await store.createTenant(name))) throw new CliError('INPUT_INVALID', `tenant "${name}" already exists`);
    const { record, key } = await issueApiKey(store, { tenant: name, name: `${name} admin`, role: 'admin', createdBy: 'cli' });
    if (options.json) io.out(`${JSON.stringify({ tenant: name, adminKeyId: record.id, adminKey: key })}\n`);
    else io.out(`created tenant ${name}\n  admin API key id  ${record.id}\n  admin API key     ${key}\n  (shown once — store it now)\n`);
    return EXIT.OK;
  });
}

async function listTenants(options: { store: string }, io: CommandIo): Promise<ExitCode> {
  return withCredentials(options.store, async (store) => {
    for (const t of await store.listTenants()) io.out(`${t.name}\t${t.createdAt}\n`);
    return EXIT.OK;
  });
}

async function withCredentials(location: string, work: (store: LedgerStore & CredentialStore) => Promise<ExitCode>): Promise<ExitCode> {
  let store: LedgerStore;
  try {
    store = await openStore(location);
  } catch (e) {
    if (e instanceof RangeError) throw new CliError('USAGE', `--store: ${e.message}`);
    throw e;
  }
  try {
    return await work(store as LedgerStore & CredentialStore);
  } finally {
    await store.close();
  }
}
