import { decodeBase64 } from './base64';
import { VerificationFailure } from './verification-failure';

/** One signature line of a note: `— <key name> base64(key ID ‖ signature)`. */
export interface NoteSignature {
  readonly name: string;
  readonly keyHash: number;
  readonly signature: Uint8Array;
}

export interface ParsedNote {
  /** The signed text, final newline included. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

// c2sp.org/signed-note "Format": text ending in a newline, a blank line, then signature lines.
// The text ends at the last blank line. Verifies nothing: see openCheckpoint.
export function parseSignedNote(note: string): ParsedNote {
  // eslint-disable-next-line no-control-regex -- the format forbids control characters; this is the check
  if (/[\x00-\x09\x0b-\x1f]/.test(note)) throw new VerificationFailure('the checkpoint contains a control character');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new VerificationFailure('the checkpoint has no signature block');
  const block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw new VerificationFailure('the checkpoint signature block is malformed');
  const signatures = block
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const match = /^\u2014 (\S+) (\S+)$/.exec(line);
      if (!match) throw new VerificationFailure(`malformed signature line ${JSON.stringify(line.slice(0, 120))}`);
      const bytes = decodeBase64(match[2], 'a checkpoint signature');
      if (bytes.length < 5) throw new VerificationFailure('a checkpoint signature is too short');
      return { name: match[1], keyHash: new DataView(bytes.buffer).getUint32(0, false), signature: bytes.subarray(4) };
    });
  return { text: note.slice(0, split + 1), signatures };
}
