import { resolve } from 'node:path';
import { Command } from 'commander';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { CliContext, CommandIo } from '../command-io';
import { EXIT, ExitCode } from '../exit-codes';
import { originPrefixOption, requireKeyFile } from '../signing-key-options';

export interface ShowSigningKeyOptions {
  readonly keyFile: string;
  readonly originPrefix: string;
}

export function registerSigningKeyShow(group: Command, { io, action }: CliContext): void {
  group
    .command('show')
    .description('print the key id, verifier key line and public key PEM of a checkpoint signing key (never the private key)')
    .requiredOption('--key-file <file>', 'the PKCS#8 PEM private key file (mode 0600)')
    .addOption(originPrefixOption())
    .action(action((options: ShowSigningKeyOptions) => showSigningKey(options, io)));
}

export async function showSigningKey(options: ShowSigningKeyOptions, io: CommandIo): Promise<ExitCode> {
  const keyFile = resolve(options.keyFile);
  requireKeyFile(keyFile);
  const signer = await LocalKeySigner.loadOrCreate(keyFile, options.originPrefix);
  io.out(
    `key id        ${signer.keyId}\n` +
      `verifier key  ${signer.verifierKey()}\n` +
      `public files  ${keyFile}.pub, ${keyFile}.vkey (give either to auditors)\n\n` +
      signer.publicKeyPem(),
  );
  return EXIT.OK;
}
