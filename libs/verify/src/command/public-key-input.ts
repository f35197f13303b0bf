import { promises as fs } from 'node:fs';
import { parsePublicKeys, TrustedNoteKey } from '@evidence-ledger/core';
import { CliError } from './cli-error';

// The public key file an auditor was given (PEM and/or vkey lines), as text; unreadable is a
// usage error (exit 2) naming the file, like every other input.
export async function readPublicKeyText(path: string): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (cause) {
    throw new CliError('INPUT_UNAVAILABLE', `cannot read public key file ${path}`, { cause });
  }
}

/** The keys to trust when opening checkpoints, from the public key file at `path`. */
export async function readVerifiers(path: string): Promise<TrustedNoteKey[]> {
  return parsePublicKeys(await readPublicKeyText(path), undefined, path);
}
