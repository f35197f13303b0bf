import { Checkpoint, ConsistencyProof, verifyConsistency } from '@evidence-ledger/core';
import { LedgerIntegrityError } from './errors';

/** Fetches the RFC 9162 §2.1.4 proof that the tree of `toSize` extends the tree of `fromSize`. */
export type ConsistencyProofSource = (fromSize: number, toSize: number) => Promise<ConsistencyProof>;

const REMEMBERED_SIZES = 1024;

/**
 * The checkpoints a producer has verified, and the rule that keeps them one history: every
 * new checkpoint must be consistent with the newest one seen (RFC 9162 §2.1.4) — a larger
 * one must extend it, a smaller one must be a prefix of it, one of the same size must have
 * the same root. A log that was rewritten, forked or rolled back cannot pass.
 *
 * Checks run one at a time, so the newest checkpoint only ever moves forward.
 */
export class CheckpointHistory {
  private latest: { readonly checkpoint: Checkpoint; readonly note: string } | undefined;
  /** Tree size → root hash of checkpoints known consistent with `latest` (a bounded memo). */
  private readonly roots = new Map<number, Buffer>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly proofs: ConsistencyProofSource) {}

  /** The newest verified checkpoint note, if any. */
  get latestNote(): string | undefined {
    return this.latest?.note;
  }

  get latestTreeSize(): number | undefined {
    return this.latest?.checkpoint.treeSize;
  }

  /** Starts from a checkpoint verified by an earlier run. */
  restore(checkpoint: Checkpoint, note: string): void {
    this.latest = { checkpoint, note };
    this.remember(checkpoint);
  }

  // Accepts a checkpoint whose signature is already verified, or rejects with a
  // LedgerIntegrityError (or whatever the proof source throws).
  accept(checkpoint: Checkpoint, note: string): Promise<void> {
    const check = this.queue.then(() => this.check(checkpoint, note));
    this.queue = check.catch(() => undefined);
    return check;
  }

  private async check(checkpoint: Checkpoint, note: string): Promise<void> {
    const latest = this.latest?.checkpoint;
    if (latest === undefined) return this.advance(checkpoint, note);
    const known = checkpoint.treeSize === latest.treeSize ? Buffer.from(latest.rootHash) : this.roots.get(checkpoint.treeSize);
    if (known !== undefined) {
      if (known.equals(checkpoint.rootHash)) return;
      throw forked(`checkpoint ${checkpoint.treeSize} has a different root hash than the checkpoint of that size seen before`);
    }
    const [older, newer] = checkpoint.treeSize > latest.treeSize ? [latest, checkpoint] : [checkpoint, latest];
    const proof = await this.proofs(older.treeSize, newer.treeSize);
    if (proof.fromSize !== older.treeSize || proof.toSize !== newer.treeSize || !verifyConsistency(proof, older.rootHash, newer.rootHash)) {
      throw forked(
        `the tree of ${newer.treeSize} entries does not extend the tree of ${older.treeSize} seen before: the log was rewritten or forked`,
      );
    }
    if (newer === checkpoint) this.advance(checkpoint, note);
    else this.remember(checkpoint);
  }

  private advance(checkpoint: Checkpoint, note: string): void {
    this.latest = { checkpoint, note };
    this.remember(checkpoint);
  }

  private remember(checkpoint: Checkpoint): void {
    if (this.roots.size >= REMEMBERED_SIZES) this.roots.delete(this.roots.keys().next().value as number);
    this.roots.set(checkpoint.treeSize, Buffer.from(checkpoint.rootHash));
  }
}

function forked(message: string): LedgerIntegrityError {
  return new LedgerIntegrityError('CONSISTENCY_PROOF_INVALID', message);
}
