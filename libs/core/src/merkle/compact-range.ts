import { EMPTY_TREE_ROOT, HASH_SIZE, nodeHash } from '../hashing/sha256';
import { frontierNodes, NodeRef } from './tree-math';

/** A perfect subtree completed by an append, to be stored with the leaf that completed it. */
export interface CompletedNode extends NodeRef {
  readonly hash: Buffer;
}

/**
 * The right frontier of a growing RFC 6962 tree: the roots of the perfect subtrees a tree of
 * `treeSize` leaves decomposes into (at most log2(n) hashes). Enough to append leaves, to
 * name every node each append completes, and to compute the root — without reading the log.
 * (transparency-dev calls this a compact range [0, treeSize).)
 */
export class CompactRange {
  private constructor(
    private size: number,
    /** Frontier hashes, largest subtree first, matching `frontierNodes(size)`. */
    private readonly hashes: Buffer[],
  ) {}

  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  // Rebuild from stored nodes: `hashes[i]` is the hash of `frontierNodes(treeSize)[i]`.
  static fromFrontier(treeSize: number, hashes: readonly Uint8Array[]): CompactRange {
    const expected = frontierNodes(treeSize).length;
    if (hashes.length !== expected || hashes.some((h) => h.length !== HASH_SIZE)) {
      throw new RangeError(`a tree of ${treeSize} leaves has ${expected} frontier hashes, got ${hashes.length}`);
    }
    return new CompactRange(
      treeSize,
      hashes.map((h) => Buffer.from(h)),
    );
  }

  get treeSize(): number {
    return this.size;
  }

  frontier(): readonly Buffer[] {
    return this.hashes;
  }

  // Appends one leaf hash and returns the nodes (level ≥ 1) it completes, lowest first. Leaf
  // `n` completes one node per trailing 1 bit of `n`, merging the frontier's smallest subtrees.
  append(leaf: Uint8Array): CompletedNode[] {
    const completed: CompletedNode[] = [];
    let hash: Buffer = Buffer.from(leaf);
    let index = this.size;
    let level = 0;
    while (index % 2 === 1) {
      hash = nodeHash(this.hashes.pop() as Buffer, hash);
      level++;
      index = (index - 1) / 2;
      completed.push({ level, index, hash });
    }
    this.hashes.push(hash);
    this.size++;
    return completed;
  }

  // RFC 9162 §2.1.1 MTH of the whole tree: fold the frontier from the right.
  root(): Buffer {
    if (this.hashes.length === 0) return EMPTY_TREE_ROOT;
    let root = this.hashes[this.hashes.length - 1];
    for (let i = this.hashes.length - 2; i >= 0; i--) root = nodeHash(this.hashes[i], root);
    return root;
  }

  clone(): CompactRange {
    return new CompactRange(this.size, [...this.hashes]);
  }
}

export { frontierNodes };
