import { readFile } from 'node:fs/promises';
import { BUNDLE_FORMAT } from '../change-bundle/bundle-format';
import { resolve } from 'node:path';
import { rawPublicKeys } from './pack-bundle';
import { verifyEvidencePack } from './pack-verifier';
import { ZipReader } from './pack-zip';
import { parsePublicKeys } from '@evidence-ledger/core';
import { CliError } from '../command/cli-error';
import { CommandIo } from '../command/command-io';
import { EXIT, ExitCode } from '../command/exit-codes';
import { readTrustedCheckpoints } from '../command/trusted-checkpoints';
import { formatPackVerification } from './pack-report';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Whether `path` is an evidence pack: a zip file that is not a zipped change bundle. */
export async function isPackFile(path: string): Promise<boolean> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return false;
  }
  if (!bytes.subarray(0, 4).equals(ZIP_MAGIC)) return false;
  // A change bundle may be zipped too: its manifest names its own format. Only the manifest
  // is inflated, and only if it declares a small size.
  try {
    const zip = ZipReader.open(bytes);
    if ((zip.entry('manifest.json')?.size ?? Infinity) > 1024 * 1024) return true;
    return (JSON.parse(Buffer.from(zip.read('manifest.json')).toString('utf8')) as { format?: unknown })?.format !== BUNDLE_FORMAT;
  } catch {
    return true; // not readable as a bundle: the pack verifier says what is wrong
  }
}

// Verifies an evidence pack offline with the public key file alone (and the previous pack,
// when given); exit 0 only if everything holds.
export async function verifyPackFile(
  pack: string,
  options: { publicKey: string; previous?: string; json?: boolean; trustedCheckpoint?: readonly string[] },
  io: CommandIo,
): Promise<ExitCode> {
  const keyText = await readInput(options.publicKey, '--public-key');
  const trust = {
    noteKeys: parsePublicKeys(keyText.toString('utf8'), undefined, options.publicKey),
    rawKeys: rawPublicKeys(keyText.toString('utf8')),
    checkpoints: await readTrustedCheckpoints(options.trustedCheckpoint),
  };
  const zip = await readInput(pack, 'pack');
  const previous = options.previous ? await readInput(options.previous, '--previous') : undefined;
  const verification = verifyEvidencePack(zip, trust, previous);
  if (options.json) {
    const { controls, ...rest } = verification;
    io.out(`${JSON.stringify({ pack: resolve(pack), ...rest, summary: controls?.summary ?? null }, null, 2)}\n`);
  } else io.out(formatPackVerification(resolve(pack), verification));
  return verification.ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
}

async function readInput(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new CliError('INPUT_UNAVAILABLE', `${what}: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}
