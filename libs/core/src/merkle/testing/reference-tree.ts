import { leafHash, nodeHash, EMPTY_TREE_ROOT } from '../../hashing/sha256';

// A literal transcription of RFC 9162 §2.1 (MTH, PATH, PROOF/SUBPROOF) over an in-memory
// array of leaf inputs. Slow and obviously correct; used only by tests as the oracle.
export class ReferenceTree {
  constructor(readonly leaves: Uint8Array[]) {}

  mth(lo = 0, hi = this.leaves.length): Buffer {
    const n = hi - lo;
    if (n === 0) return EMPTY_TREE_ROOT;
    if (n === 1) return leafHash(this.leaves[lo]);
    const k = k_(n);
    return nodeHash(this.mth(lo, lo + k), this.mth(lo + k, hi));
  }

  path(m: number, lo = 0, hi = this.leaves.length): Buffer[] {
    const n = hi - lo;
    if (n === 1) return [];
    const k = k_(n);
    if (m < k) return [...this.path(m, lo, lo + k), this.mth(lo + k, hi)];
    return [...this.path(m - k, lo + k, hi), this.mth(lo, lo + k)];
  }

  proof(m: number, n: number): Buffer[] {
    if (m === 0 || m === n) return [];
    return this.subproof(m, 0, n, true);
  }

  private subproof(m: number, lo: number, hi: number, b: boolean): Buffer[] {
    const n = hi - lo;
    if (m === n) return b ? [] : [this.mth(lo, hi)];
    const k = k_(n);
    if (m <= k) return [...this.subproof(m, lo, lo + k, b), this.mth(lo + k, hi)];
    return [...this.subproof(m - k, lo + k, hi, false), this.mth(lo, lo + k)];
  }
}

function k_(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
