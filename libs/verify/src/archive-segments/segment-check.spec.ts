import { chainHash, frontierNodes, GENESIS_CHAIN_HASH, leafHash, signCheckpoint, TrustedCheckpoint } from '@evidence-ledger/core';
import { ReferenceTree } from '../../../core/src/merkle/testing/reference-tree';
import { generateTestKey } from '../../../core/src/note/testing/note-test-keys';
import { checkpointLine, entryLine } from '../log-export/log-lines';
import { checkSegment, SegmentCheck } from './segment-check';
import { SEGMENT_FORMAT, SegmentHeader } from './segment-format';
import { SegmentLine, segmentLines } from './segment-lines';

const ORIGIN = 'ledger.test/acme';
const key = generateTestKey('ledger.test');

// A log of 30 entries signed at 8, 12, 20 and 30, cut into segments the way the sealer writes them.
const SIZE = 30;
const SIGNED = [8, 12, 20, 30];
const canonical = Array.from({ length: SIZE }, (_, sequence) => Buffer.from(`{"sequence":${sequence},"tenant":"acme"}`));
const chains: Buffer[] = [];
canonical.reduce((chain, bytes) => {
  const next = chainHash(chain, leafHash(bytes));
  chains.push(next);
  return next;
}, GENESIS_CHAIN_HASH);
const notes = new Map<number, string>();

beforeAll(async () => {
  for (const size of SIGNED) {
    const rootHash = new ReferenceTree(canonical.slice(0, size)).mth();
    notes.set(size, await signCheckpoint({ origin: ORIGIN, treeSize: size, rootHash, extensions: [] }, [key.signer]));
  }
});

function segment(from: number, to: number, edit: (header: SegmentHeader) => SegmentHeader = (h) => h): string[] {
  const tree = new ReferenceTree(canonical.slice(0, to));
  const b64 = (b: Buffer) => b.toString('base64');
  const header: SegmentHeader = {
    format: SEGMENT_FORMAT,
    tenant: 'acme',
    origin: ORIGIN,
    from,
    to,
    sealedAt: '2026-01-01T00:00:00.000Z',
    start: {
      chainHash: b64(from === 0 ? GENESIS_CHAIN_HASH : chains[from - 1]),
      frontier: frontierNodes(from).map(({ level, index }) => b64(tree.mth(index << level, (index + 1) << level))),
    },
    consistencyProof: tree.proof(from, to).map(b64),
  };
  const lines = [JSON.stringify(edit(header))];
  if (from > 0) lines.push(checkpointLine(notes.get(from) as string));
  for (let sequence = from; sequence < to; sequence++) {
    lines.push(
      entryLine({ sequence, canonical: canonical[sequence], leafHash: leafHash(canonical[sequence]), chainHash: chains[sequence] }),
    );
    if (notes.has(sequence + 1)) lines.push(checkpointLine(notes.get(sequence + 1) as string));
  }
  return lines;
}

async function* bytes(text: string): AsyncIterable<Buffer> {
  yield Buffer.from(text);
}

const check = (lines: string[], trustedCheckpoints: TrustedCheckpoint[] = []): Promise<SegmentCheck<never>> =>
  checkSegment(segmentLines(bytes(`${lines.join('\n')}\n`)), { trusted: [key.verifier], trustedCheckpoints });

describe('checkSegment on its own', () => {
  it('verifies a segment from entry 0 and one from a signed checkpoint', async () => {
    const first = await check(segment(0, 12));
    expect(first.failure).toBeUndefined();
    expect(first).toMatchObject({ entries: 12, checkpoints: 2, end: { treeSize: 12 } });
    const later = await check(segment(12, 30));
    expect(later.failure).toBeUndefined();
    expect(later).toMatchObject({ entries: 18, checkpoints: 2, start: { treeSize: 12 }, end: { treeSize: 30 } });
    expect(later.end?.chainHash.equals(chains[29])).toBe(true);
  });

  it('continues the segment before it, through the same verifier', async () => {
    const first = await check(segment(0, 12));
    const second = await checkSegment(segmentLines(bytes(`${segment(12, 30).join('\n')}\n`)), {
      trusted: [key.verifier],
      after: { boundary: first.end!, verifier: first.verifier!, origin: ORIGIN },
    });
    expect(second.failure).toBeUndefined();
    expect(second.entries).toBe(18);
  });

  it('fails a frontier that does not fold into the opening checkpoint', async () => {
    const forged = segment(12, 30, (h) => ({
      ...h,
      start: { ...h.start, frontier: h.start.frontier.map(() => Buffer.alloc(32).toString('base64')) },
    }));
    expect((await check(forged)).failure).toMatchObject({ code: 'CHECKPOINT_ROOT_MISMATCH', line: 2 });
  });

  it('fails a start chain hash that the stored chain does not follow from', async () => {
    const forged = segment(12, 30, (h) => ({ ...h, start: { ...h.start, chainHash: Buffer.alloc(32).toString('base64') } }));
    expect((await check(forged)).failure).toMatchObject({ code: 'CHAIN_HASH_MISMATCH', sequence: 12, line: 3 });
  });

  it('fails a forged consistency proof, and a header at odds with its lines', async () => {
    const proof = segment(12, 30, (h) => ({ ...h, consistencyProof: [...h.consistencyProof].reverse() }));
    expect((await check(proof)).failure).toMatchObject({ code: 'SEGMENT_PROOF_INVALID', line: 1 });
    expect((await check(segment(0, 12, (h) => ({ ...h, origin: 'ledger.test/globex' })))).failure).toMatchObject({
      code: 'CHECKPOINT_ORIGIN_MISMATCH',
    });
    expect((await check(segment(0, 12, (h) => ({ ...h, to: 20 })))).failure).toMatchObject({ code: 'SEGMENT_TRUNCATED' });
  });

  it('extends a trusted checkpoint inside it; one before it cannot be decided from it', async () => {
    const seen = (size: number): TrustedCheckpoint => ({ source: `cp-${size}`, note: notes.get(size) as string });
    expect((await check(segment(12, 30), [seen(20), seen(12)])).failure).toBeUndefined();
    expect((await check(segment(12, 30), [seen(8)])).failure).toMatchObject({ code: 'TRUSTED_CHECKPOINT_UNDECIDED' });
  });

  it('refuses a line longer than any entry can be, naming it', async () => {
    const lines = segment(0, 12);
    lines.splice(3, 0, `{"sequence":2,"canonical":"${'A'.repeat(2 << 20)}"}`);
    expect((await check(lines)).failure).toMatchObject({ code: 'SEGMENT_MALFORMED', line: 4 });
  });
});

describe('segmentLines', () => {
  it('splits a stream into numbered lines across chunks, the last one unterminated when cut', async () => {
    async function* chunks() {
      yield Buffer.from('ab\ncd');
      yield Buffer.from('ef\ngh');
    }
    const lines: SegmentLine[] = [];
    for await (const line of segmentLines(chunks())) lines.push(line);
    expect(lines).toEqual([
      { number: 1, text: 'ab', terminated: true },
      { number: 2, text: 'cdef', terminated: true },
      { number: 3, text: 'gh', terminated: false },
    ]);
  });
});
