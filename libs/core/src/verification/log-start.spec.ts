import { chainHash, GENESIS_CHAIN_HASH } from '../chain/chain-hash';
import { leafHash } from '../hashing/sha256';
import { CompactRange } from '../merkle/compact-range';
import { frontierNodes } from '../merkle/tree-math';
import { signCheckpoint } from '../note/signed-checkpoint';
import { generateTestKey } from '../note/testing/note-test-keys';
import { LogStart, LogVerifier, VerifiableEntry } from './log-verifier';

const ORIGIN = 'ledger.test/acme';

// A log verified from the middle, as a sealed segment is: the tree continued from the frontier
// at the start, the chain from the entry before it, and a signed checkpoint at the start size.
describe('LogVerifier resuming at a tree size', () => {
  const key = generateTestKey('ledger.test');
  const entries: (VerifiableEntry & { chainHash: Buffer })[] = [];
  const roots = new Map<number, Buffer>();
  let start: LogStart;

  beforeAll(() => {
    const range = CompactRange.empty();
    let chain = GENESIS_CHAIN_HASH;
    for (let sequence = 0; sequence < 30; sequence++) {
      const canonical = Buffer.from(`{"sequence":${sequence},"tenant":"acme"}`);
      chain = chainHash(chain, leafHash(canonical));
      entries.push({ sequence, canonical, chainHash: chain });
      range.append(leafHash(canonical));
      roots.set(range.treeSize, range.root());
    }
    start = { treeSize: 12, frontier: frontierOf(12), chainHash: entries[11].chainHash };
    expect(
      CompactRange.fromFrontier(12, start.frontier)
        .root()
        .equals(roots.get(12) as Buffer),
    ).toBe(true);
  });

  // The frontier of the first `size` leaves, read off a tree rebuilt from the entries.
  function frontierOf(size: number): Buffer[] {
    return frontierNodes(size).map(({ level, index }) => subtreeRoot(index << level, 1 << level));
  }
  function subtreeRoot(from: number, count: number): Buffer {
    const range = CompactRange.empty();
    entries.slice(from, from + count).forEach((e) => range.append(leafHash(e.canonical)));
    return range.root();
  }
  const note = (size: number) =>
    signCheckpoint({ origin: ORIGIN, treeSize: size, rootHash: roots.get(size) as Buffer, extensions: [] }, [key.signer]);

  it('verifies the entries after the start, counting only those', async () => {
    const verifier = new LogVerifier({ trusted: [key.verifier], origin: ORIGIN, tenant: 'acme', start });
    expect(verifier.treeSize).toBe(12);
    expect(verifier.checkpoint({ note: await note(12), treeSize: 12 })).toBe(true);
    for (const entry of entries.slice(12)) expect(verifier.entry(entry)).toBe(true);
    expect(verifier.checkpoint({ note: await note(30), treeSize: 30 })).toBe(true);
    expect(verifier.finish()).toMatchObject({ ok: true, entries: 18, checkpoints: 2, verifiedTreeSize: 30 });
  });

  it('fails a start whose frontier is not the tree signed at that size', async () => {
    const forged = { ...start, frontier: start.frontier.map(() => Buffer.alloc(32)) };
    const verifier = new LogVerifier({ trusted: [key.verifier], origin: ORIGIN, start: forged });
    expect(verifier.checkpoint({ note: await note(12), treeSize: 12 })).toBe(false);
    expect(verifier.finish().failure).toMatchObject({ code: 'CHECKPOINT_ROOT_MISMATCH', treeSize: 12 });
  });

  it('fails an entry whose stored chain hash does not follow from the start chain hash', () => {
    const verifier = new LogVerifier({ trusted: [key.verifier], start: { ...start, chainHash: Buffer.alloc(32) } });
    expect(verifier.entry(entries[12])).toBe(false);
    expect(verifier.finish().failure).toMatchObject({ code: 'CHAIN_HASH_MISMATCH', sequence: 12 });
  });
});
