/** Why a log, an export or a receipt failed verification, at the first place it did. */
export type VerificationFailureCode =
  | 'ENTRY_MISSING'
  | 'ENTRY_OUT_OF_ORDER'
  | 'ENTRY_MALFORMED'
  | 'SEQUENCE_MISMATCH'
  | 'TENANT_MISMATCH'
  | 'LEAF_HASH_MISMATCH'
  | 'CHAIN_HASH_MISMATCH'
  | 'MERKLE_NODE_MISMATCH'
  | 'CHECKPOINT_UNVERIFIED'
  | 'CHECKPOINT_MALFORMED'
  | 'CHECKPOINT_ORIGIN_MISMATCH'
  | 'CHECKPOINT_ROOT_MISMATCH'
  | 'CHECKPOINT_BEYOND_LOG'
  | 'CHECKPOINT_OUT_OF_ORDER'
  | 'NO_CHECKPOINT'
  /** The first checkpoint names no key given: the log was signed by another key (a wrong --public-key). */
  | 'WRONG_KEY'
  /** A trusted checkpoint (one the user saw before) does not verify or is of another log. */
  | 'TRUSTED_CHECKPOINT_UNVERIFIED'
  /** The log ends before a trusted checkpoint: it was cut back. */
  | 'LOG_ROLLED_BACK'
  /** The log's root at a trusted checkpoint's size differs from it: it was rewritten. */
  | 'LOG_FORKED'
  /** Nothing in the source proves it extends a trusted checkpoint (a pack or bundle without the proof). */
  | 'TRUSTED_CHECKPOINT_UNDECIDED';

export interface VerificationFailure {
  readonly code: VerificationFailureCode;
  /** The entry at fault (0-based), when the failure is an entry's. */
  readonly sequence?: number;
  /** The checkpoint at fault, by its tree size, when the failure is a checkpoint's. */
  readonly treeSize?: number;
  readonly message: string;
}

export interface VerificationReport {
  readonly ok: boolean;
  readonly entries: number;
  readonly checkpoints: number;
  /** Size and root of the last checkpoint that verified. */
  readonly verifiedTreeSize: number;
  readonly verifiedRootHash?: Buffer;
  /** Key ids learned from `ledger.key.rotated` entries covered by a trusted checkpoint. */
  readonly keysLearned: readonly string[];
  /** The trusted checkpoints (`--trusted-checkpoint`) the log was shown to extend. */
  readonly trustedCheckpoints: readonly { readonly source: string; readonly treeSize: number }[];
  readonly failure?: VerificationFailure;
}
