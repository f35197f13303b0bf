import { constants, promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { openCheckpoint, parseCheckpoint, parseSignedNote, parseVerifierKey } from '@evidence-ledger/core';
import { Ledger } from '@evidence-ledger/ledger';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { LedgerStore } from '@evidence-ledger/store';
import { CliError } from '../cli-error';
import { CliContext, CommandIo } from '../command-io';
import { EXIT, ExitCode } from '../exit-codes';
import { originPrefixOption, requireKeyFile } from '../signing-key-options';
import { openExistingStore, storeOption } from '../store-location';

export interface RotateSigningKeyOptions {
  readonly store: string;
  readonly keyFile: string;
  readonly originPrefix: string;
}

export function registerSigningKeyRotate(group: Command, { io, action }: CliContext): void {
  group
    .command('rotate')
    .summary('replace the signing key, recording the rotation in every tenant log')
    .description(
      'Replace the checkpoint signing key. Every tenant log records a ledger.key.rotated entry whose checkpoint both keys sign, so verifiers holding the old public key learn the new one from the log. The old private key is kept as <key-file>.retired-<old key id>; the new one takes its place. Stop the ledger service first; restart it afterwards to sign with the new key.',
    )
    .addOption(storeOption())
    .requiredOption('--key-file <file>', 'the current PKCS#8 PEM private key file (mode 0600)')
    .addOption(originPrefixOption())
    .action(action((options: RotateSigningKeyOptions) => rotateSigningKey(options, io)));
}

// The new key is written to disk (<key-file>.next) before the rotation is committed, so the
// log never names a key that could be lost; a failed run is resumed by running it again.
export async function rotateSigningKey(options: RotateSigningKeyOptions, io: CommandIo): Promise<ExitCode> {
  const keyFile = resolve(options.keyFile);
  const prefix = options.originPrefix;
  requireKeyFile(keyFile);
  const current = await LocalKeySigner.loadOrCreate(keyFile, prefix);
  const store = await openExistingStore(options.store);
  let next: LocalKeySigner;
  let tenants: string[];
  try {
    tenants = await store.tenants();
    await assertCurrentKeySignsLogs(store, tenants, current, keyFile, prefix);
    next = await LocalKeySigner.loadOrCreate(`${keyFile}.next`, prefix);
    const ledger = new Ledger({ store, signer: current, originPrefix: prefix });
    try {
      await ledger.rotateSigningKey(next);
    } finally {
      await ledger.close();
    }
  } finally {
    await store.close();
  }
  const retired = await installNextKey(keyFile, current);
  io.out(
    `rotated the checkpoint signing key in ${tenants.length} tenant log(s)${tenants.length ? `: ${tenants.join(', ')}` : ''}\n` +
      `  previous key  ${current.keyId}  kept at ${retired}\n` +
      `  new key       ${next.keyId}  at ${keyFile} (public: ${keyFile}.pub, ${keyFile}.vkey)\n`,
  );
  return EXIT.OK;
}

// Refuses to rotate (or append, as break-glass does) with a key or prefix other than the ones
// the logs were signed with: the new entry would then be signed by a key no verifier trusts, or
// carry another origin.
export async function assertCurrentKeySignsLogs(
  store: LedgerStore,
  tenants: readonly string[],
  current: LocalKeySigner,
  keyFile: string,
  prefix: string,
): Promise<void> {
  const verifier = parseVerifierKey(current.verifierKey());
  for (const tenant of tenants) {
    const latest = await store.latestCheckpoint(tenant);
    if (!latest) continue;
    const origin = parseCheckpoint(parseSignedNote(latest.note).text).origin;
    const suffix = `/${tenant}`;
    if (origin !== `${prefix}${suffix}`) {
      const hint = origin.endsWith(suffix) ? `; pass --origin-prefix ${origin.slice(0, -suffix.length)}` : '';
      throw new CliError('USAGE', `tenant ${tenant}'s checkpoints have origin "${origin}", not "${prefix}${suffix}"${hint}`);
    }
    try {
      openCheckpoint(latest.note, [verifier]);
    } catch (cause) {
      throw new CliError(
        'INPUT_INVALID',
        `the key in ${keyFile} did not sign tenant ${tenant}'s latest checkpoint (${(cause as Error).message})`,
      );
    }
  }
}

// <key-file> → <key-file>.retired-<id> (a copy, mode 0600, with its .pub/.vkey), then
// <key-file>.next → <key-file>, whose .pub/.vkey are rewritten.
async function installNextKey(keyFile: string, current: LocalKeySigner): Promise<string> {
  const retired = `${keyFile}.retired-${current.keyId}`;
  try {
    await fs.copyFile(keyFile, retired, constants.COPYFILE_EXCL).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    await fs.chmod(retired, 0o600);
    await LocalKeySigner.loadOrCreate(retired, current.name);
    await fs.rename(`${keyFile}.next`, keyFile);
    await Promise.all([fs.rm(`${keyFile}.next.pub`, { force: true }), fs.rm(`${keyFile}.next.vkey`, { force: true })]);
    await LocalKeySigner.loadOrCreate(keyFile, current.name);
  } catch (cause) {
    throw new CliError(
      'INPUT_UNAVAILABLE',
      `the rotation is recorded in the logs, but installing the keys failed; the new key is ${keyFile}.next and the old one ${keyFile}: move them by hand`,
      { cause },
    );
  }
  return retired;
}
