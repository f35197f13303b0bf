import { NoteError } from '../errors/note-error';
import { HASH_SIZE } from '../hashing/sha256';
import { decodeBase64, encodeBase64 } from '../encoding';
import { isWellFormedUnicode } from './note-text';

// c2sp.org/tlog-checkpoint "Note text": the signed head of the log's RFC 6962 Merkle tree.
export interface Checkpoint {
  /** Unique identity of the log, e.g. `ledger.example.com/acme`. */
  readonly origin: string;
  /** Number of leaves in the tree. */
  readonly treeSize: number;
  /** RFC 6962 Merkle tree hash of the first `treeSize` leaves (32 bytes). */
  readonly rootHash: Uint8Array;
  /** Opaque, non-empty extra lines (NOT RECOMMENDED by the spec; usually empty). */
  readonly extensions: readonly string[];
}

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
// eslint-disable-next-line no-control-regex -- the spec forbids control characters; this is the check
const CONTROL = /[\x00-\x1f]/;

// c2sp.org/tlog-checkpoint "Note text": origin line, decimal tree size, base64 root hash, then
// any extension lines, each ending in a newline. Validates the checkpoint first, so whatever
// this returns parses back to the same checkpoint.
export function formatCheckpoint(checkpoint: Checkpoint): string {
  assertLine(checkpoint.origin, 'origin');
  if (!Number.isSafeInteger(checkpoint.treeSize) || checkpoint.treeSize < 0) {
    throw malformed(`tree size ${checkpoint.treeSize} is not a non-negative safe integer`);
  }
  if (checkpoint.rootHash.length !== HASH_SIZE) {
    throw malformed(`root hash is ${checkpoint.rootHash.length} bytes, expected ${HASH_SIZE}`);
  }
  checkpoint.extensions.forEach((line, i) => assertLine(line, `extension line ${i + 1}`));
  const lines = [checkpoint.origin, String(checkpoint.treeSize), encodeBase64(checkpoint.rootHash)];
  return [...lines, ...checkpoint.extensions].map((line) => `${line}\n`).join('');
}

// c2sp.org/tlog-checkpoint "Note text", strictly: at least three non-empty lines, each ending in
// a newline; tree size in decimal without leading zeroes (except "0") and at most 2^53 - 1;
// root hash the canonical standard base64 of exactly 32 bytes. Throws CHECKPOINT_MALFORMED.
// Call it on the text openNote returned, never on an unverified note.
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw malformed('text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed(`expected at least 3 lines, got ${lines.length}`);
  lines.forEach((line, i) => assertLine(line, `line ${i + 1}`));
  const [origin, size, root, ...extensions] = lines;

  if (!DECIMAL.test(size)) {
    throw malformed(`tree size ${JSON.stringify(size)} is not a decimal number without leading zeroes`);
  }
  const treeSize = Number(size);
  if (!Number.isSafeInteger(treeSize)) throw malformed(`tree size ${size} is larger than 2^53 - 1`);

  const rootHash = decodeBase64(root);
  if (rootHash === undefined) throw malformed(`root hash ${JSON.stringify(root)} is not standard base64`);
  if (rootHash.length !== HASH_SIZE) {
    throw malformed(`root hash is ${rootHash.length} bytes, expected ${HASH_SIZE}`);
  }
  return { origin, treeSize, rootHash, extensions };
}

function assertLine(line: string, what: string): void {
  if (line.length === 0) throw malformed(`${what} is empty`);
  if (line.includes('\n')) throw malformed(`${what} contains a newline`);
  if (CONTROL.test(line) || !isWellFormedUnicode(line)) {
    throw malformed(`${what} contains a control character or invalid UTF-8`);
  }
}

function malformed(reason: string): NoteError {
  return new NoteError('CHECKPOINT_MALFORMED', `malformed checkpoint: ${reason}`);
}
