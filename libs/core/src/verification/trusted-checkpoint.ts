import { Checkpoint, parseCheckpoint } from '../note/checkpoint';
import { TrustedNoteKey } from '../note/note-signature';
import { openCheckpoint } from '../note/signed-checkpoint';
import { parseSignedNote } from '../note/signed-note';
import { VerificationFailure } from './verification-failure';

/**
 * A checkpoint the user saw before (`--trusted-checkpoint`): whatever is verified now must
 * extend it (RFC 9162 §2.1.4). A log cut back to an earlier checkpointed size, head fixed,
 * verifies on its own; only a checkpoint remembered from outside shows it lost entries.
 */
export interface TrustedCheckpoint {
  /** Where it came from, named in every message (a file name). */
  readonly source: string;
  /** The C2SP signed note, verbatim. */
  readonly note: string;
}

/** The tree a verification established: its origin, and its size and root. */
export interface EstablishedTree {
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
}

// The origin, size and root a trusted checkpoint claims, read before its signature is checked:
// the key that signed it may only be learned from the log (a rotation). Nothing is accepted
// on this alone; checkTrustedCheckpoint opens the note. Throws NOTE_MALFORMED or
// CHECKPOINT_MALFORMED for a file that is not a checkpoint at all.
export function claimedCheckpoint(note: string): Checkpoint {
  return parseCheckpoint(parseSignedNote(note).text);
}

/**
 * Whether `tree` — a log, a pack's or a bundle's signed tree — extends the trusted checkpoint:
 * the checkpoint verifies under `keys`, is of the same log (origin), is no larger than the tree
 * (else the tree was rolled back), and the tree's root at the checkpoint's size is the
 * checkpoint's root (else it was rewritten). `rootAt(size)` gives that root when the source can
 * compute it (from its leaves, or a verified consistency proof); undefined when it cannot, which
 * is reported as undecided — never as a pass. `what` names the source in messages ("the log").
 */
export function checkTrustedCheckpoint(
  trusted: TrustedCheckpoint,
  keys: readonly TrustedNoteKey[],
  tree: EstablishedTree,
  rootAt: (size: number) => Uint8Array | undefined,
  what: string,
): VerificationFailure | undefined {
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(trusted.note, keys).checkpoint;
  } catch (e) {
    return { code: 'TRUSTED_CHECKPOINT_UNVERIFIED', message: `trusted checkpoint ${trusted.source}: ${(e as Error).message}` };
  }
  const size = checkpoint.treeSize;
  if (checkpoint.origin !== tree.origin) {
    return {
      code: 'TRUSTED_CHECKPOINT_UNVERIFIED',
      treeSize: size,
      message: `trusted checkpoint ${trusted.source} is for log "${checkpoint.origin}", not "${tree.origin}"`,
    };
  }
  if (size > tree.treeSize) {
    return {
      code: 'LOG_ROLLED_BACK',
      treeSize: size,
      message: `${what} ends at tree size ${tree.treeSize}, before the trusted checkpoint ${trusted.source} at tree size ${size}: it was rolled back (entries that checkpoint covers are gone)`,
    };
  }
  const root = size === tree.treeSize ? tree.rootHash : rootAt(size);
  if (root === undefined) {
    return {
      code: 'TRUSTED_CHECKPOINT_UNDECIDED',
      treeSize: size,
      message: `${what} (tree size ${tree.treeSize}) carries nothing that proves it extends the trusted checkpoint ${trusted.source} at tree size ${size}: not verified`,
    };
  }
  if (!Buffer.from(root).equals(Buffer.from(checkpoint.rootHash))) {
    return {
      code: 'LOG_FORKED',
      treeSize: size,
      message: `${what}'s root at tree size ${size} is not the root of the trusted checkpoint ${trusted.source}: it was rewritten (forked) since that checkpoint`,
    };
  }
  return undefined;
}
