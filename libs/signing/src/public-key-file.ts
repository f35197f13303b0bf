import { promises as fs } from 'node:fs';
import { parsePublicKeys, TrustedNoteKey } from '@evidence-ledger/core';
import { SigningError } from './signing-error';

// Reads the public key file an auditor was given and returns the keys to trust when opening
// checkpoints (core's openCheckpoint/openNote). See parsePublicKeys for the accepted forms.
export async function readVerifiers(path: string, defaultName?: string): Promise<TrustedNoteKey[]> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (cause) {
    throw new SigningError('KEY_FILE_UNAVAILABLE', `cannot read public key file ${path}`, { cause });
  }
  return parsePublicKeys(text, defaultName, path);
}

// Parsing the text is core's (the offline verifier reads the same files); kept here for callers.
export { parsePublicKeys };
