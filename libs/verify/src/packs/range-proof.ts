import { CompactRange, decodeBase64, verifyConsistency } from '@evidence-ledger/core';
import { RangeProof } from './pack-format';

/**
 * Recomputes the root of the tree of `end` leaves from the frontier of the first `start`
 * leaves (RFC 6962 compact range) and the pack's leaves, appended in order; remembers the
 * root at one chosen size on the way (the previous pack's tree, when it is a prefix).
 */
export class LeafRange {
  private readonly range: CompactRange;
  private snapshot?: Uint8Array;

  constructor(
    start: number,
    prefix: readonly Uint8Array[],
    private readonly rememberAt?: number,
  ) {
    this.range = start === 0 ? CompactRange.empty() : CompactRange.fromFrontier(start, prefix);
    if (rememberAt === start) this.snapshot = this.range.root();
  }

  append(leaf: Uint8Array): void {
    this.range.append(leaf);
    if (this.range.treeSize === this.rememberAt) this.snapshot = this.range.root();
  }

  get size(): number {
    return this.range.treeSize;
  }

  root(): Uint8Array {
    return this.range.root();
  }

  /** The root at `rememberAt` leaves, once the range has grown that far. */
  rootAtRemembered(): Uint8Array | undefined {
    return this.snapshot;
  }
}

// RFC 9162 §2.1.4: the tree of the pack's leaves is a prefix of the signed tree (or is it).
export function rangeLeadsTo(rangeRoot: Uint8Array, proof: RangeProof, signedRoot: Uint8Array): boolean {
  const hashes = proof.consistency.map((h) => decodeBase64(h) ?? new Uint8Array());
  if (proof.end === proof.treeSize) return hashes.length === 0 && Buffer.from(rangeRoot).equals(Buffer.from(signedRoot));
  return verifyConsistency({ fromSize: proof.end, toSize: proof.treeSize, hashes }, rangeRoot, signedRoot);
}

// The core's strict base64, under the names the pack code has always imported it by.
export { decodeBase64, encodeBase64 } from '@evidence-ledger/core';
