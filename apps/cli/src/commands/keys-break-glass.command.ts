import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { assertTenantName, LedgerError } from '@evidence-ledger/core';
import { issueBreakGlassKey, Ledger } from '@evidence-ledger/ledger';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { CredentialStore, LedgerStore } from '@evidence-ledger/store';
import { CliError } from '../cli-error';
import { CliContext, CommandIo } from '../command-io';
import { EXIT, ExitCode } from '../exit-codes';
import { originPrefixOption, requireKeyFile } from '../signing-key-options';
import { assertCurrentKeySignsLogs } from './signing-key-rotate.command';
import { openExistingStore, storeOption } from '../store-location';

export interface BreakGlassOptions {
  readonly store: string;
  readonly tenant: string;
  readonly reason: string;
  readonly operator?: string;
  readonly keyFile: string;
  readonly originPrefix: string;
  readonly json?: boolean;
}

export function registerKeysBreakGlass(group: Command, { io, action }: CliContext): void {
  group
    .command('break-glass')
    .summary('issue a new admin key with store access, recorded in the tenant log (operator)')
    .description(
      "Issue a new admin API key for a tenant locked out of its own administration (e.g. its last admin key was revoked). Opens the store directly and signs with the service's checkpoint key, so only an operator of the ledger can run it. The tenant's log records a ledger.api-key.break-glass entry naming the key id, the operator and the reason before the key is stored. The service may keep running.",
    )
    .addOption(storeOption())
    .requiredOption('--tenant <name>', 'the tenant to issue the key for')
    .requiredOption('--reason <text>', 'why (recorded in the log)')
    .addOption(new Option('--operator <name>', 'who is running it (recorded in the log; default: your login name)'))
    .addOption(
      new Option('--key-file <file>', "the service's PKCS#8 PEM signing key file (mode 0600)").env('LEDGER_KEY_FILE').makeOptionMandatory(),
    )
    .addOption(originPrefixOption())
    .option('--json', 'print the result as JSON')
    .action(action((options: BreakGlassOptions) => breakGlass(options, io)));
}

export async function breakGlass(options: BreakGlassOptions, io: CommandIo): Promise<ExitCode> {
  try {
    assertTenantName(options.tenant);
  } catch (e) {
    throw new CliError('USAGE', `--tenant: ${(e as Error).message}`);
  }
  const keyFile = resolve(options.keyFile);
  requireKeyFile(keyFile);
  const signer = await LocalKeySigner.loadOrCreate(keyFile, options.originPrefix);
  const store = await openExistingStore(options.store);
  try {
    await assertCurrentKeySignsLogs(store, await store.tenants(), signer, keyFile, options.originPrefix);
    const ledger = new Ledger({ store, signer, originPrefix: options.originPrefix });
    try {
      const operator = options.operator ?? userInfo().username;
      const { issued, receipt } = await issueBreakGlassKey(ledger, store as LedgerStore & CredentialStore, {
        tenant: options.tenant,
        operator,
        reason: options.reason,
      });
      if (options.json) {
        io.out(
          `${JSON.stringify({ tenant: options.tenant, adminKeyId: issued.record.id, adminKey: issued.key, operator, sequence: receipt.sequence })}\n`,
        );
      } else {
        io.out(
          `issued a break-glass admin key for tenant ${options.tenant}\n` +
            `  admin API key id  ${issued.record.id}\n` +
            `  admin API key     ${issued.key}\n` +
            `  (shown once — store it now)\n` +
            `  recorded in the log at sequence ${receipt.sequence} (ledger.api-key.break-glass, operator ${operator})\n`,
        );
      }
      return EXIT.OK;
    } catch (e) {
      if (e instanceof RangeError) throw new CliError('USAGE', e.message);
      if (e instanceof LedgerError && e.code === 'NOT_FOUND') throw new CliError('TENANT_UNKNOWN', e.message);
      throw e;
    } finally {
      await ledger.close();
    }
  } finally {
    await store.close();
  }
}
