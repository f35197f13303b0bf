import {
  CompactRange,
  EMPTY_TREE_ROOT,
  GENESIS_CHAIN_HASH,
  LogVerifier,
  parseCheckpoint,
  parseSignedNote,
  TrustedCheckpoint,
  TrustedNoteKey,
  verifyConsistency,
} from '@evidence-ledger/core';
import { parseLogLine } from '../log-export/log-lines';
import { SegmentFailure } from './segment-failure';
import { SegmentHeader } from './segment-format';
import { decodeHashes, parseSegmentHeader } from './segment-header';
import { claimedSequence, claimedTreeSize, LineTooLongError, SegmentLine } from './segment-lines';

/** The verified log a segment continues, or the state it leaves the log in: size, chain, root. */
export interface SegmentBoundary {
  readonly treeSize: number;
  readonly chainHash: Buffer;
  readonly root: Buffer;
  /** The signed checkpoint at `treeSize` (none for the empty log). */
  readonly note?: string;
}

/** The log before entry 0. */
export const LOG_GENESIS: SegmentBoundary = { treeSize: 0, chainHash: GENESIS_CHAIN_HASH, root: EMPTY_TREE_ROOT };

/** An entry of the segment, verified. */
export interface SegmentEntry {
  readonly sequence: number;
  readonly canonical: Buffer;
  readonly leafHash: Buffer;
  readonly chainHash: Buffer;
}

export interface SegmentCheckOptions<F> {
  /** The public keys trusted from the start; keys rotated in by co-signed entries are learned. */
  readonly trusted: readonly TrustedNoteKey[];
  /** Checkpoints the user saw before, which the log must extend. */
  readonly trustedCheckpoints?: readonly TrustedCheckpoint[];
  /** What the header must say (an archive's key names tenant and entries): refused as SEGMENT_MISMATCH otherwise. */
  readonly expected?: { readonly tenant: string; readonly from: number; readonly to: number; readonly describe: string };
  /**
   * The verified log the segment continues (the segment before it in an archive), with the
   * verifier that checked it and the origin it is of. Absent, the segment is checked on its
   * own: from entry 0, or from its signed opening checkpoint (line 2).
   */
  readonly after?: { readonly boundary: SegmentBoundary; readonly verifier: LogVerifier; readonly origin: string };
  /** Called with each entry once it verified; a failure it returns stops the check at that line. */
  readonly onEntry?: (entry: SegmentEntry) => Promise<F | undefined>;
}

export interface SegmentCheck<F> {
  readonly header?: SegmentHeader;
  /** The verifier the segment was fed to: continue with it for the next segment. */
  readonly verifier?: LogVerifier;
  /** Where the segment leaves the log, when it verified. */
  readonly end?: SegmentBoundary;
  /** Where it started: the signed checkpoint at `from`, proven by its line 2 or the segment before. */
  readonly start?: SegmentBoundary;
  readonly entries: number;
  /** Checkpoints verified in the segment, the opening one (line 2) not counted. */
  readonly checkpoints: number;
  readonly failure?: SegmentFailure | (F & { readonly line: number });
}

/**
 * Verifies one sealed segment (`evidence-ledger/log-segment/v1`, docs/archive.md) from its
 * lines: the header's shape; its start state against the segment before it, or else against
 * its own signed opening checkpoint; every entry re-hashed from its bytes, the chain and the
 * Merkle tree continued from that start; every checkpoint's signature and root (core's
 * LogVerifier); the last checkpoint at the header's `to`; and the header's consistency proof
 * between the signed roots at `from` and `to`. Stops at the first failure, naming the line.
 *
 * Checked on its own, a segment not starting at entry 0 proves its entries' place in the tree
 * (the frontier folds into a signed root); its start chain hash, which no checkpoint signs, is
 * only proven by the segment before it.
 */
export async function checkSegment<F extends object = never>(
  source: AsyncIterable<SegmentLine>,
  options: SegmentCheckOptions<F>,
): Promise<SegmentCheck<F>> {
  const lines = source[Symbol.asyncIterator]();
  const state: { header?: SegmentHeader; verifier?: LogVerifier; entries: number; checkpoints: number } = { entries: 0, checkpoints: 0 };
  try {
    const failure = await check(lines, options, state);
    return { ...state, ...failure };
  } catch (e) {
    if (e instanceof LineTooLongError) return { ...state, failure: { code: 'SEGMENT_MALFORMED', line: e.line, message: e.message } };
    throw e;
  } finally {
    await lines.return?.();
  }
}

type Outcome<F> = Pick<SegmentCheck<F>, 'failure' | 'end' | 'start'>;

async function check<F extends object>(
  lines: AsyncIterator<SegmentLine>,
  options: SegmentCheckOptions<F>,
  state: { header?: SegmentHeader; verifier?: LogVerifier; entries: number; checkpoints: number },
): Promise<Outcome<F>> {
  const opening = await openSegment(lines, options, state);
  if ('code' in opening) return { failure: opening };
  const { header, verifier, start } = opening;
  state.verifier = verifier;
  const { from, to } = header;
  let chain = start.chainHash;
  let last: { size: number; note: string } | undefined;
  let lastLine = opening.lines;
  const coreFailure = (line: number): SegmentFailure => ({ ...(verifier.finish().failure as SegmentFailure), line });
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const { number, text, terminated } = next.value;
    lastLine = number;
    if (!terminated) {
      return {
        failure: {
          code: 'SEGMENT_TRUNCATED',
          line: number,
          message: `line ${number} is cut short (no newline at the end): the segment is truncated`,
        },
      };
    }
    const parsed = parseLogLine(text);
    if (typeof parsed === 'string') {
      const sequence = claimedSequence(text);
      return {
        failure: {
          code: 'SEGMENT_MALFORMED',
          line: number,
          sequence,
          message: `${sequence === undefined ? `line ${number}` : `entry ${sequence}`}: ${parsed}`,
        },
      };
    }
    if (parsed.kind === 'checkpoint') {
      if (!verifier.checkpoint({ note: parsed.note, treeSize: claimedTreeSize(parsed.note) })) return { failure: coreFailure(number) };
      last = { size: verifier.treeSize, note: parsed.note };
      state.checkpoints++;
      continue;
    }
    if (parsed.sequence >= to) {
      return {
        failure: {
          code: 'SEGMENT_MALFORMED',
          line: number,
          sequence: parsed.sequence,
          message: `entry ${parsed.sequence} lies past the segment's end (entry ${to - 1})`,
        },
      };
    }
    if (!verifier.entry(parsed)) return { failure: coreFailure(number) };
    const rejected = await options.onEntry?.(parsed);
    if (rejected) return { failure: { ...rejected, line: number } };
    chain = parsed.chainHash;
    state.entries++;
  }
  if (verifier.treeSize !== to || last?.size !== to) {
    return {
      failure: {
        code: 'SEGMENT_TRUNCATED',
        line: lastLine + 1,
        sequence: verifier.treeSize,
        message: `the segment ends after entry ${verifier.treeSize - 1}${last ? ` and the checkpoint at tree size ${last.size}` : ''}, but its name and header promise entries up to ${to - 1} and a checkpoint at tree size ${to}`,
      },
    };
  }
  const root = rootOf(last.note);
  if (!verifyConsistency({ fromSize: from, toSize: to, hashes: decodeHashes(header.consistencyProof) }, start.root, root)) {
    return {
      failure: {
        code: 'SEGMENT_PROOF_INVALID',
        line: 1,
        message: `its consistency proof from tree size ${from} to ${to} does not verify against the signed roots`,
      },
    };
  }
  return { start, end: { treeSize: to, chainHash: chain, root, note: last.note } };
}

// Line 1 (and line 2, the opening checkpoint, when the segment does not start at entry 0):
// everything the header claims must match what is expected of it and the signed log before it.
async function openSegment<F>(
  lines: AsyncIterator<SegmentLine>,
  options: SegmentCheckOptions<F>,
  state: { header?: SegmentHeader },
): Promise<{ header: SegmentHeader; verifier: LogVerifier; start: SegmentBoundary; lines: number } | SegmentFailure> {
  const fail = (code: SegmentFailure['code'], line: number, message: string): SegmentFailure => ({ code, line, message });
  const first = await lines.next();
  if (first.done) return fail('SEGMENT_MALFORMED', 1, 'the object is empty');
  const header = parseSegmentHeader(first.value.text);
  if (typeof header === 'string') return fail('SEGMENT_MALFORMED', 1, header);
  const { from, to } = header;
  const { expected, after } = options;
  if (expected && (header.tenant !== expected.tenant || from !== expected.from || to !== expected.to)) {
    return fail(
      'SEGMENT_MISMATCH',
      1,
      `its header says tenant ${header.tenant}, entries ${from}..${to - 1}; ${expected.describe} says tenant ${expected.tenant}, entries ${expected.from}..${expected.to - 1}`,
    );
  }
  state.header = header;
  if (after && header.origin !== after.origin) {
    return fail('SEGMENT_MISMATCH', 1, `its header names origin ${header.origin}, the segments before it ${after.origin}`);
  }
  const chainHash = Buffer.from(header.start.chainHash, 'base64');
  const frontier = decodeHashes(header.start.frontier);
  const before = after?.boundary ?? (from === 0 ? LOG_GENESIS : undefined);
  if (before && !chainHash.equals(before.chainHash)) {
    return fail('SEGMENT_MISMATCH', 1, `its start chain hash is not the chain hash of entry ${from - 1}, where the segment before it ends`);
  }
  const root = CompactRange.fromFrontier(from, frontier).root();
  if (before && !root.equals(before.root)) {
    return fail('SEGMENT_MISMATCH', 1, `its start frontier does not fold into the signed root at tree size ${from}`);
  }
  const verifier =
    after?.verifier ??
    new LogVerifier({
      trusted: options.trusted,
      origin: header.origin,
      tenant: header.tenant,
      trustedCheckpoints: options.trustedCheckpoints,
      start: from === 0 ? undefined : { treeSize: from, frontier, chainHash },
    });
  if (from === 0) return { header, verifier, start: LOG_GENESIS, lines: 1 };
  const second = await lines.next();
  const parsed = second.done ? undefined : parseLogLine(second.value.text);
  const note = typeof parsed === 'object' && parsed.kind === 'checkpoint' ? parsed.note : undefined;
  if (before) {
    if (note !== before.note) {
      return fail('SEGMENT_MISMATCH', 2, `line 2 must repeat the checkpoint at tree size ${from} that the segment before it ends with`);
    }
    return { header, verifier, start: before, lines: 2 };
  }
  // On its own: the opening checkpoint must be the signed root the frontier folds into.
  if (note === undefined || claimedTreeSize(note) !== from) {
    return fail('SEGMENT_MISMATCH', 2, `line 2 must be the signed checkpoint at tree size ${from}, where the segment starts`);
  }
  if (!verifier.checkpoint({ note, treeSize: from })) return { ...(verifier.finish().failure as SegmentFailure), line: 2 };
  return { header, verifier, start: { treeSize: from, chainHash, root, note }, lines: 2 };
}

function rootOf(note: string): Buffer {
  return Buffer.from(parseCheckpoint(parseSignedNote(note).text).rootHash);
}
