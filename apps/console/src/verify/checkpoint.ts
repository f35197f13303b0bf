import { decodeBase64 } from './base64';
import { VerificationFailure } from './verification-failure';

/** c2sp.org/tlog-checkpoint: the signed head of the log's Merkle tree. */
export interface Checkpoint {
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
}

// Origin line, decimal tree size without leading zeroes, base64 root of 32 bytes, then any
// extension lines. Only ever called on text whose signature verified.
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : [];
  if (lines.length < 3 || lines.some((line) => line.length === 0)) throw new VerificationFailure('the checkpoint text is malformed');
  const [origin, size, root] = lines;
  if (!/^(?:0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw new VerificationFailure(`the checkpoint tree size ${JSON.stringify(size)} is not a number`);
  }
  const rootHash = decodeBase64(root, 'the checkpoint root hash');
  if (rootHash.length !== 32) throw new VerificationFailure('the checkpoint root hash is not 32 bytes');
  return { origin, treeSize: Number(size), rootHash };
}
