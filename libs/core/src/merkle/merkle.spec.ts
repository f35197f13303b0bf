import vectors from './testdata/rfc6962-vectors.json';
import { leafHash } from '../hashing/sha256';
import { buildConsistencyProof, consistencyProofNodes, verifyConsistency } from './consistency-proof';
import { buildInclusionProof, buildInclusionProofs, inclusionProofNodes, rootFromInclusionProof, verifyInclusion } from './inclusion-proof';
import { CompactRange } from './compact-range';
import { appendedTree } from './testing/node-map';
import { ReferenceTree } from './testing/reference-tree';
import { frontierNodes, completedLevels, completingLeaf } from './tree-math';

const hex = (h: Uint8Array) => Buffer.from(h).toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');
const leaves = vectors.leafInputsHex.map(unhex);
const inputs = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`entry ${i}`));

function flipBit(h: Uint8Array, bit = 3): Buffer {
  const b = Buffer.from(h);
  b[0] ^= 1 << bit;
  return b;
}

describe('RFC 6962 Merkle tree', () => {
  it('computes the published root for every tree size 0..8', () => {
    const range = CompactRange.empty();
    expect(hex(range.root())).toBe(vectors.rootsBySizeHex[0]);
    leaves.forEach((l, i) => {
      range.append(leafHash(l));
      expect(hex(range.root())).toBe(vectors.rootsBySizeHex[i + 1]);
    });
  });

  it('completes exactly the published perfect-subtree nodes, each by its last leaf', () => {
    const { stored } = appendedTree(leaves);
    vectors.nodeHashesByLevelHex.forEach((level, l) =>
      level.forEach((h, i) => {
        expect(hex(stored.get(`${l}/${i}`)!)).toBe(h);
        if (l > 0) expect(completedLevels(completingLeaf({ level: l, index: i }))).toBeGreaterThanOrEqual(l);
      }),
    );
  });

  it('resumes appending from a frontier read back from storage', () => {
    const all = inputs(37);
    const { stored } = appendedTree(all.slice(0, 21));
    const frontier = frontierNodes(21).map((n) => stored.get(`${n.level}/${n.index}`)!);
    const resumed = CompactRange.fromFrontier(21, frontier);
    all.slice(21).forEach((l) => resumed.append(leafHash(l)));
    expect(hex(resumed.root())).toBe(hex(new ReferenceTree(all).mth()));
  });

  it('rejects a frontier of the wrong shape', () => {
    expect(() => CompactRange.fromFrontier(3, [Buffer.alloc(32)])).toThrow(RangeError);
  });
});

describe('inclusion proofs (RFC 9162 §2.1.3)', () => {
  const { nodes } = appendedTree(leaves);

  it.each(vectors.inclusionProofs)('match the published proof for leaf $leafIndex of $treeSize', (v) => {
    const proof = buildInclusionProof(v.leafIndex, v.treeSize, nodes);
    expect(proof.hashes.map(hex)).toEqual(v.hashesHex);
    expect(verifyInclusion(proof, leaves[v.leafIndex], unhex(vectors.rootsBySizeHex[v.treeSize]))).toBe(true);
  });

  it.each(vectors.inclusionProofs)('reject every corruption of the proof for leaf $leafIndex of $treeSize', (v) => {
    const root = unhex(vectors.rootsBySizeHex[v.treeSize]);
    const hashes = v.hashesHex.map(unhex);
    const leaf = leaves[v.leafIndex];
    const bad = [
      { leafIndex: v.leafIndex + 1, treeSize: v.treeSize, hashes },
      { leafIndex: v.leafIndex ^ 2, treeSize: v.treeSize, hashes },
      { leafIndex: v.leafIndex, treeSize: v.treeSize * 2, hashes },
      { leafIndex: v.leafIndex, treeSize: Math.floor(v.treeSize / 2), hashes },
      { leafIndex: v.leafIndex, treeSize: v.treeSize, hashes: [...hashes, root] },
      { leafIndex: v.leafIndex, treeSize: v.treeSize, hashes: [root, ...hashes] },
      { leafIndex: v.leafIndex, treeSize: v.treeSize, hashes: [...hashes, Buffer.alloc(0)] },
      { leafIndex: v.leafIndex, treeSize: v.treeSize, hashes: hashes.slice(0, -1) },
      ...hashes.map((_, i) => ({ leafIndex: v.leafIndex, treeSize: v.treeSize, hashes: hashes.map((h, j) => (i === j ? flipBit(h) : h)) })),
    ];
    for (const proof of bad) expect(verifyInclusion(proof, leaf, root)).toBe(false);
    expect(verifyInclusion({ leafIndex: v.leafIndex, treeSize: v.treeSize, hashes }, Buffer.from('WrongLeaf'), root)).toBe(false);
    expect(verifyInclusion({ leafIndex: v.leafIndex, treeSize: v.treeSize, hashes }, leaf, flipBit(root))).toBe(false);
  });

  it('agree with the reference implementation for every leaf of every tree up to 130 leaves', () => {
    const all = inputs(130);
    const { nodes } = appendedTree(all);
    const reference = new ReferenceTree(all);
    for (let size = 1; size <= 130; size++) {
      const ref = new ReferenceTree(all.slice(0, size));
      const root = ref.mth();
      for (let i = 0; i < size; i++) {
        const proof = buildInclusionProof(i, size, nodes);
        expect(proof.hashes.map(hex)).toEqual(ref.path(i).map(hex));
        expect(hex(rootFromInclusionProof(proof, leafHash(all[i])))).toBe(hex(root));
      }
    }
    expect(reference.leaves).toHaveLength(130);
  });

  it('for a run of leaves at once, are exactly the proofs of each leaf alone, for every run of every tree up to 48 leaves', () => {
    const { nodes } = appendedTree(inputs(48));
    const show = (p: { leafIndex: number; treeSize: number; hashes: readonly Uint8Array[] }) =>
      `${p.leafIndex}/${p.treeSize}:${p.hashes.map(hex).join()}`;
    const mismatches: string[] = [];
    let runs = 0;
    for (let size = 1; size <= 48; size++) {
      const alone = Array.from({ length: size }, (_, i) => show(buildInclusionProof(i, size, nodes)));
      for (let from = 0; from < size; from++)
        for (let to = from + 1; to <= size; to++, runs++) {
          const run = buildInclusionProofs(from, to, size, nodes).map(show);
          if (run.join('|') !== alone.slice(from, to).join('|')) mismatches.push(`[${from}, ${to}) of ${size}`);
        }
    }
    expect(mismatches).toEqual([]);
    expect(runs).toBe(19600);
  });

  it('for a run of leaves, read each shared sibling once and refuse a run outside the tree', () => {
    const { nodes } = appendedTree(inputs(1000));
    let reads = 0;
    const counted = (ref: Parameters<typeof nodes>[0]) => (reads++, nodes(ref));
    buildInclusionProofs(600, 1000, 1000, counted);
    const perLeaf = reads;
    reads = 0;
    for (let i = 600; i < 1000; i++) buildInclusionProof(i, 1000, counted);
    expect(perLeaf * 5).toBeLessThan(reads);
    for (const [from, to] of [
      [5, 5],
      [7, 3],
      [0, 9],
      [-1, 2],
      [0.5, 2],
    ])
      expect(() => buildInclusionProofs(from, to, 8, nodes)).toThrow(expect.objectContaining({ code: 'INVALID_PROOF_REQUEST' }));
  });

  it('read O(log n) stored nodes even for the largest trees', () => {
    const size = 2 ** 40 + 12345;
    expect(inclusionProofNodes(size - 1, size).length).toBeLessThanOrEqual(2 * 41);
    expect(inclusionProofNodes(77, size).length).toBeLessThanOrEqual(2 * 41);
  });

  it('refuse a leaf outside the tree with a typed error', () => {
    expect(() => buildInclusionProof(8, 8, nodes)).toThrow(expect.objectContaining({ code: 'INVALID_PROOF_REQUEST' }));
    expect(() => buildInclusionProof(-1, 8, nodes)).toThrow(expect.objectContaining({ code: 'INVALID_PROOF_REQUEST' }));
    expect(() => buildInclusionProof(0.5, 8, nodes)).toThrow(expect.objectContaining({ code: 'INVALID_PROOF_REQUEST' }));
  });
});

describe('consistency proofs (RFC 9162 §2.1.4)', () => {
  const { nodes } = appendedTree(leaves);
  const root = (n: number) => unhex(vectors.rootsBySizeHex[n]);

  it.each(vectors.consistencyProofs)('match the published proof from $fromSize to $toSize', (v) => {
    const proof = buildConsistencyProof(v.fromSize, v.toSize, nodes);
    expect(proof.hashes.map(hex)).toEqual(v.hashesHex);
    expect(verifyConsistency(proof, root(v.fromSize), root(v.toSize))).toBe(true);
  });

  it.each(vectors.consistencyProofs.filter((v) => v.hashesHex.length > 0))(
    'reject every corruption of the proof from $fromSize to $toSize',
    (v) => {
      const hashes = v.hashesHex.map(unhex);
      const [r1, r2] = [root(v.fromSize), root(v.toSize)];
      const p = (fromSize: number, toSize: number, h: Uint8Array[] = hashes) => ({ fromSize, toSize, hashes: h });
      const bad: [ReturnType<typeof p>, Uint8Array, Uint8Array][] = [
        [p(v.fromSize - 1, v.toSize), r1, r2],
        [p(v.fromSize + 1, v.toSize), r1, r2],
        [p(v.fromSize ^ 2, v.toSize), r1, r2],
        [p(v.fromSize, v.toSize * 2), r1, r2],
        [p(v.fromSize, Math.floor(v.toSize / 2)), r1, r2],
        [p(v.fromSize, v.toSize), Buffer.from('WrongRoot'), r2],
        [p(v.fromSize, v.toSize), r2, r1],
        [p(v.fromSize, v.toSize, []), r1, r2],
        [p(v.fromSize, v.toSize, [...hashes, r1]), r1, r2],
        [p(v.fromSize, v.toSize, [r2, ...hashes]), r1, r2],
        [p(v.fromSize, v.toSize, hashes.slice(0, -1)), r1, r2],
        ...hashes.map(
          (_, i) =>
            [
              p(
                v.fromSize,
                v.toSize,
                hashes.map((h, j) => (i === j ? flipBit(h, 4) : h)),
              ),
              r1,
              r2,
            ] as [ReturnType<typeof p>, Uint8Array, Uint8Array],
        ),
      ];
      for (const [proof, a, b] of bad) expect(verifyConsistency(proof, a, b)).toBe(false);
    },
  );

  it('agree with the reference implementation for every pair of sizes up to 70', () => {
    const all = inputs(70);
    const { nodes: grown } = appendedTree(all);
    const ref = new ReferenceTree(all);
    const roots = Array.from({ length: 71 }, (_, n) => new ReferenceTree(all.slice(0, n)).mth());
    for (let m = 0; m <= 70; m++) {
      for (let n = m; n <= 70; n++) {
        const proof = buildConsistencyProof(m, n, grown);
        expect(proof.hashes.map(hex)).toEqual(ref.proof(m, n).map(hex));
        expect(verifyConsistency(proof, roots[m], roots[n])).toBe(true);
      }
    }
  });

  it('read O(log n) stored nodes', () => {
    expect(consistencyProofNodes(2 ** 39 + 3, 2 ** 41 + 99).length).toBeLessThanOrEqual(2 * 42);
  });

  it('refuse sizes that go backwards', () => {
    expect(() => buildConsistencyProof(5, 4, nodes)).toThrow(expect.objectContaining({ code: 'INVALID_PROOF_REQUEST' }));
  });
});
