import { promises as fs } from 'node:fs';
import { claimedCheckpoint, TrustedCheckpoint } from '@evidence-ledger/core';
import { CliError } from './cli-error';

// Reads each file as a signed checkpoint note, or as JSON holding one under `checkpoint` (a
// receipt, an export's checkpoint line, an inclusion proof answer) or `note`. Only its form is
// checked here (exit 2 if it is not a checkpoint); its signature is checked by the verifier,
// which may learn the key that signed it from a rotation in the log.
export async function readTrustedCheckpoints(files: readonly string[] | undefined): Promise<TrustedCheckpoint[]> {
  const checkpoints: TrustedCheckpoint[] = [];
  for (const file of files ?? []) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (cause) {
      throw new CliError('INPUT_UNAVAILABLE', `--trusted-checkpoint: cannot read ${file}`, { cause });
    }
    const note = noteIn(text);
    try {
      if (note === undefined) throw new Error('no signed note in it');
      claimedCheckpoint(note);
    } catch (cause) {
      throw new CliError(
        'INPUT_INVALID',
        `--trusted-checkpoint: ${file} is not a signed checkpoint (${(cause as Error).message}); give the checkpoint note, a receipt or GET /v1/checkpoint output`,
        { cause },
      );
    }
    checkpoints.push({ source: file, note });
  }
  return checkpoints;
}

function noteIn(text: string): string | undefined {
  if (!text.trimStart().startsWith('{') && !text.trimStart().startsWith('[')) return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const holder = (Array.isArray(value) ? value[0] : value) as { checkpoint?: unknown; note?: unknown } | null;
  const note = holder?.checkpoint ?? holder?.note;
  return typeof note === 'string' ? note : undefined;
}
