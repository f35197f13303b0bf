/**
 * Index arithmetic for RFC 6962 / RFC 9162 Merkle trees, on plain numbers (tree sizes up to
 * 2^53). No hashing here: these functions only say *which* subtrees a computation needs.
 *
 * A perfect subtree ("node") is addressed by `level` (its height; leaves are level 0) and
 * `index` (its position among the nodes of that level). It covers the leaves
 * [index·2^level, (index+1)·2^level).
 */
export interface NodeRef {
  readonly level: number;
  readonly index: number;
}

/** A half-open range of leaf indexes [start, end). */
export interface LeafRange {
  readonly start: number;
  readonly end: number;
}

// RFC 9162 §2.1.1: k is the largest power of two smaller than n (n > 1).
export function largestPowerOfTwoBelow(n: number): number {
  if (n < 2) throw new RangeError(`no power of two below ${n}`);
  // log2 is exact on powers of two; the two loops correct rounding for sizes near 2^53.
  let k = 2 ** Math.floor(Math.log2(n - 1));
  while (k >= n) k /= 2;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  if (n >= 1 && n <= 0x40000000) return (n & (n - 1)) === 0;
  return n >= 1 && Number.isInteger(n) && 2 ** Math.round(Math.log2(n)) === n;
}

// The number of trailing zero bits of a positive integer (exact beyond 32 bits).
export function trailingZeros(n: number): number {
  let z = 0;
  while (n > 0 && n % 2 === 0) {
    n /= 2;
    z++;
  }
  return z;
}

// Leaf `sequence` completes the nodes at levels 1..completedLevels(sequence): the perfect
// subtrees whose last leaf it is. Their hashes are stored with the leaf, so each node is
// written once and read by primary key.
export function completedLevels(sequence: number): number {
  return trailingZeros(sequence + 1);
}

// The leaf whose append completed `node`: the last leaf it covers.
export function completingLeaf(node: NodeRef): number {
  return (node.index + 1) * 2 ** node.level - 1;
}

// The node covering exactly `range`, when the range is a perfect, aligned subtree.
export function nodeOf(range: LeafRange): NodeRef | undefined {
  const width = range.end - range.start;
  if (!isPowerOfTwo(width) || range.start % width !== 0) return undefined;
  return { level: Math.log2(width), index: range.start / width };
}

// RFC 9162 §2.1.1 splits D[a:b] at a+k. Every range the proof algorithms hash starts at a
// multiple of the power of two above its width, so it is a chain of perfect left subtrees
// ending in a perfect right one: this lists those nodes, left to right.
export function rangeNodes(range: LeafRange): NodeRef[] {
  const nodes: NodeRef[] = [];
  let { start } = range;
  const { end } = range;
  while (start < end) {
    const direct = nodeOf({ start, end });
    if (direct) {
      nodes.push(direct);
      break;
    }
    const k = largestPowerOfTwoBelow(end - start);
    const left = nodeOf({ start, end: start + k });
    if (!left) throw new RangeError(`range [${range.start}, ${range.end}) is not RFC 6962 aligned`);
    nodes.push(left);
    start += k;
  }
  return nodes;
}

// The perfect subtrees a tree of `treeSize` leaves decomposes into, largest first: the
// "right frontier" an appender needs to continue the tree and compute its root.
export function frontierNodes(treeSize: number): NodeRef[] {
  const nodes: NodeRef[] = [];
  let start = 0;
  for (let level = Math.floor(Math.log2(Math.max(treeSize, 1))); level >= 0; level--) {
    const width = 2 ** level;
    if (treeSize - start >= width) {
      nodes.push({ level, index: start / width });
      start += width;
    }
  }
  return nodes;
}
