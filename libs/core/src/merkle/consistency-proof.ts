import { LedgerError } from '../errors/ledger-error';
import { HASH_SIZE, nodeHash } from '../hashing/sha256';
import { rangeHash, NodeSource } from './range-hash';
import { largestPowerOfTwoBelow, LeafRange, NodeRef, rangeNodes } from './tree-math';

/** RFC 9162 §2.1.4: proof that the tree of `toSize` leaves extends the tree of `fromSize`. */
export interface ConsistencyProof {
  readonly fromSize: number;
  readonly toSize: number;
  readonly hashes: readonly Uint8Array[];
}

// RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true), as leaf ranges, bottom up.
export function consistencyPathRanges(fromSize: number, toSize: number): LeafRange[] {
  assertSizes(fromSize, toSize);
  if (fromSize === 0 || fromSize === toSize) return [];
  const path: LeafRange[] = [];
  let start = 0;
  let end = toSize;
  let m = fromSize;
  let b = true;
  while (m !== end - start) {
    const k = largestPowerOfTwoBelow(end - start);
    if (m <= k) {
      path.push({ start: start + k, end });
      end = start + k;
    } else {
      path.push({ start, end: start + k });
      start += k;
      m -= k;
      b = false;
    }
  }
  if (!b) path.push({ start, end });
  return path.reverse();
}

export function consistencyProofNodes(fromSize: number, toSize: number): NodeRef[] {
  return consistencyPathRanges(fromSize, toSize).flatMap(rangeNodes);
}

export function buildConsistencyProof(fromSize: number, toSize: number, nodes: NodeSource): ConsistencyProof {
  const hashes = consistencyPathRanges(fromSize, toSize).map((r) => rangeHash(r, nodes));
  return { fromSize, toSize, hashes };
}

// RFC 9162 §2.1.4.2: true when `proof` shows the tree with root `fromRoot` is a prefix of
// the tree with root `toRoot`.
export function verifyConsistency(proof: ConsistencyProof, fromRoot: Uint8Array, toRoot: Uint8Array): boolean {
  const { fromSize, toSize } = proof;
  try {
    assertSizes(fromSize, toSize);
  } catch {
    return false;
  }
  const eq = (a: Uint8Array, b: Uint8Array) => a.length === HASH_SIZE && Buffer.from(a).equals(b);
  if (proof.hashes.some((h) => h.length !== HASH_SIZE)) return false;
  if (fromSize === toSize) return proof.hashes.length === 0 && eq(fromRoot, toRoot);
  if (fromSize === 0) return proof.hashes.length === 0;
  const path = [...proof.hashes];
  if (path.length === 0) return false;
  // Step 1: if first is an exact power of 2, prepend first_hash to the path.
  if (isExactPowerOfTwo(fromSize)) path.unshift(fromRoot);
  let fn = fromSize - 1;
  let sn = toSize - 1;
  // Step 3: while LSB(fn) is set, shift both right.
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && eq(fr, fromRoot) && eq(sr, toRoot);
}

function isExactPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

function assertSizes(fromSize: number, toSize: number): void {
  if (!Number.isSafeInteger(fromSize) || !Number.isSafeInteger(toSize) || fromSize < 0 || fromSize > toSize) {
    throw new LedgerError('INVALID_PROOF_REQUEST', `no consistency proof from size ${fromSize} to ${toSize}`, {
      fromSize,
      toSize,
    });
  }
}
