import {
  buildConsistencyProof,
  consistencyProofNodes,
  LogVerifier,
  parseCheckpoint,
  parseSignedNote,
  TrustedCheckpoint,
  TrustedNoteKey,
  verifyConsistency,
} from '@evidence-ledger/core';
import { LedgerStore, nodeKey, StoredEntry } from '@evidence-ledger/store';
import { checkSegment, LOG_GENESIS, SegmentBoundary, SegmentEntry, SegmentFailureCode, segmentLines } from '@evidence-ledger/verify';
import { ArchivedObject, ArchiveError, ArchiveStore } from '../stores';
import { listSegments } from './archived-segments';
import { SegmentError } from './segment-error';
import { SegmentRef } from './segment-keys';

/** Problems of an archive or of the live log measured against it, on top of core's codes. */
export type ArchiveFailureCode =
  /** A segment that fails verification by itself or against the segment before it. */
  | SegmentFailureCode
  /** No segment covers some entries, or segments overlap. */
  | 'SEGMENT_MISSING'
  | 'SEGMENT_OVERLAP'
  /** The bytes read differ from the SHA-256 recorded when the segment was archived. */
  | 'SEGMENT_DIGEST_MISMATCH'
  /** The archive's record of the segment (digest, retention) is missing or damaged. */
  | 'SEGMENT_UNVERIFIABLE'
  /** An archived entry the live log does not hold, or holds differently. */
  | 'LIVE_ENTRY_MISSING'
  | 'LIVE_ENTRY_MISMATCH'
  /** The live log ends before what the archive holds. */
  | 'LIVE_LOG_BEHIND'
  /** The live log's latest checkpoint is not consistent with an archived one. */
  | 'LIVE_LOG_INCONSISTENT';

export interface ArchiveFailure {
  readonly code: ArchiveFailureCode;
  readonly message: string;
  /** The archived segment at fault (or compared with), by key. */
  readonly key?: string;
  /** 1-based line in that segment. */
  readonly line?: number;
  readonly sequence?: number;
  readonly treeSize?: number;
  /** True when the live log is at fault rather than the archive. */
  readonly live?: boolean;
}

export interface VerifiedSegment {
  readonly key: string;
  readonly from: number;
  readonly to: number;
  readonly checkpoints: number;
  readonly object: ArchivedObject;
}

export interface ArchiveVerification {
  readonly ok: boolean;
  readonly tenant: string;
  readonly origin?: string;
  /** Segments that verified completely, in log order. */
  readonly segments: readonly VerifiedSegment[];
  /** Archived entries verified. */
  readonly entries: number;
  /** The live log's latest checkpoint, once every archived checkpoint was proven consistent with it. */
  readonly live?: { readonly treeSize: number; readonly rootHash: string; readonly entriesAfterArchive: number };
  readonly keysLearned: readonly string[];
  /** Things worth a look that do not fail verification (later versions under a key, strange keys). */
  readonly warnings: readonly string[];
  readonly failure?: ArchiveFailure;
}

export interface VerifyArchiveOptions {
  readonly archive: ArchiveStore;
  readonly store: LedgerStore;
  readonly tenant: string;
  /** The public keys trusted from the start; keys rotated in by co-signed entries are learned. */
  readonly trusted: readonly TrustedNoteKey[];
  /** Checkpoints the user saw before: the archive and live log together must extend each. */
  readonly trustedCheckpoints?: readonly TrustedCheckpoint[];
}

// Verifies a tenant's archived segments and measures the live log against them:
// 1. the segments, in order from entry 0, are one log: core's LogVerifier re-hashes every
//    entry, the chain and the Merkle tree across them and checks every checkpoint signature;
//    each header's start state and consistency proof are checked against signed roots, and
//    each object's bytes against the SHA-256 recorded when it was archived;
// 2. the live store holds the same entries (bytes, leaf and chain hashes) at the same sequences;
// 3. the live log after the archive verifies up to its latest checkpoint, and consistency
//    proofs read from the live store show that checkpoint extends every archived one.
// Stops at the first failure, naming the segment, line and entry.
export async function verifyArchive(options: VerifyArchiveOptions): Promise<ArchiveVerification> {
  return new ArchiveCheck(options).run();
}

class ArchiveCheck {
  private verifier: LogVerifier | undefined;
  private origin: string | undefined;
  private sealed: SegmentBoundary = LOG_GENESIS;
  private readonly verified: VerifiedSegment[] = [];
  private readonly closing: { key: string; to: number; root: Buffer }[] = [];
  private readonly warnings: string[] = [];
  private entries = 0;
  private live: ArchiveVerification['live'];

  constructor(private readonly options: VerifyArchiveOptions) {}

  async run(): Promise<ArchiveVerification> {
    const { archive, tenant } = this.options;
    const { segments, strangers } = await listSegments(archive, tenant);
    for (const key of strangers) this.warnings.push(`${key} is not a segment name; it was not checked`);
    if (segments.length === 0) {
      throw new SegmentError('NO_SEGMENTS', `the archive ${archive.location} holds no sealed segment of tenant ${tenant}`);
    }
    for (const ref of segments) {
      const failure = await this.segment(ref);
      if (failure) return this.result(failure);
    }
    return this.result((await this.liveLog()) ?? this.trustedCheckpointFailure());
  }

  // Once the live log verified to its latest checkpoint: it must extend every trusted checkpoint.
  private trustedCheckpointFailure(): ArchiveFailure | undefined {
    const failure = this.verifier?.finish().failure;
    return failure && { ...failure, live: true };
  }

  private async segment(ref: SegmentRef): Promise<ArchiveFailure | undefined> {
    if (ref.from > this.sealed.treeSize) {
      return {
        code: 'SEGMENT_MISSING',
        key: ref.key,
        sequence: this.sealed.treeSize,
        message: `entries ${this.sealed.treeSize}..${ref.from - 1} are in no archived segment (the next one, ${ref.key}, starts at entry ${ref.from})`,
      };
    }
    if (ref.from < this.sealed.treeSize) {
      return {
        code: 'SEGMENT_OVERLAP',
        key: ref.key,
        sequence: ref.from,
        message: `${ref.key} starts at entry ${ref.from}, inside the segment before it (which ends at entry ${this.sealed.treeSize - 1})`,
      };
    }
    let stream;
    try {
      stream = await this.options.archive.get(ref.key);
    } catch (e) {
      if (e instanceof ArchiveError && e.code === 'ARCHIVE_CORRUPT')
        return { code: 'SEGMENT_UNVERIFIABLE', key: ref.key, message: e.message };
      throw e;
    }
    const { object, body } = stream;
    if (object.laterVersions > 0) {
      this.warnings.push(
        `${ref.key}: ${object.laterVersions} later version(s) under the same key are ignored; the archived version ${object.versionId} was verified`,
      );
    }
    if (this.options.archive.worm && object.lockMode !== 'COMPLIANCE') {
      this.warnings.push(`${ref.key} is not locked in COMPLIANCE mode (${object.lockMode ?? 'no lock'})`);
    }
    try {
      return await this.segmentLines(ref, object, body);
    } catch (e) {
      if (e instanceof ArchiveError && e.code === 'ARCHIVE_CORRUPT')
        return { code: 'SEGMENT_DIGEST_MISMATCH', key: ref.key, message: e.message };
      throw e;
    }
  }

  // The segment checked the way the offline verifier checks one, continuing the segments
  // before it, and each of its entries compared with the live store's.
  private async segmentLines(ref: SegmentRef, object: ArchivedObject, body: AsyncIterable<Buffer>): Promise<ArchiveFailure | undefined> {
    const { key, from, to } = ref;
    const { tenant, trusted, trustedCheckpoints } = this.options;
    const live = this.options.store.readEntries(tenant, from, to)[Symbol.asyncIterator]();
    let checked;
    try {
      checked = await checkSegment(segmentLines(body), {
        trusted,
        trustedCheckpoints,
        expected: { tenant, from, to, describe: 'its key' },
        after:
          this.verifier && this.origin !== undefined ? { boundary: this.sealed, verifier: this.verifier, origin: this.origin } : undefined,
        onEntry: async (entry) => compareWithLive(await live.next(), entry),
      });
    } finally {
      await live.return?.();
    }
    // The first segment's header names the log; its verifier goes on through every segment.
    this.origin ??= checked.header?.origin;
    this.verifier ??= checked.verifier;
    this.entries += checked.entries;
    if (checked.failure) return { ...checked.failure, key };
    const end = checked.end as SegmentBoundary;
    this.sealed = end;
    this.closing.push({ key, to, root: end.root });
    this.verified.push({ key, from, to, checkpoints: checked.checkpoints, object });
    return undefined;
  }

  // The live log after the archive up to its latest checkpoint, then a consistency proof from
  // the live store for every archived checkpoint.
  private async liveLog(): Promise<ArchiveFailure | undefined> {
    const { store, tenant } = this.options;
    const verifier = this.verifier as LogVerifier;
    const latest = await store.latestCheckpoint(tenant);
    if (!latest || latest.treeSize < this.sealed.treeSize) {
      return {
        code: 'LIVE_LOG_BEHIND',
        live: true,
        treeSize: latest?.treeSize ?? 0,
        message: `the live log's latest checkpoint is at tree size ${latest?.treeSize ?? 0}, but the archive holds entries up to ${this.sealed.treeSize - 1}: the live log lost entries or checkpoints`,
      };
    }
    const liveFailure = (): ArchiveFailure => {
      const f = verifier.finish().failure as NonNullable<ReturnType<LogVerifier['finish']>['failure']>;
      return { ...f, live: true, message: `the live log after the archive: ${f.message}` };
    };
    const checkpoints = store.readCheckpoints(tenant, this.sealed.treeSize)[Symbol.asyncIterator]();
    let lastFed = this.sealed.treeSize;
    let tail = 0;
    try {
      let next = await checkpoints.next();
      const feedCheckpointsUpTo = async (size: number): Promise<boolean> => {
        while (!next.done && next.value.treeSize <= size) {
          if (!verifier.checkpoint(next.value)) return false;
          lastFed = next.value.treeSize;
          next = await checkpoints.next();
        }
        return true;
      };
      for await (const entry of store.readEntries(tenant, this.sealed.treeSize, latest.treeSize)) {
        if (!verifier.entry(entry)) return liveFailure();
        tail++;
        if (!(await feedCheckpointsUpTo(verifier.treeSize))) return liveFailure();
      }
    } finally {
      await checkpoints.return?.();
    }
    // The latest checkpoint is verified even when the archive already ends at its tree size.
    if ((lastFed !== latest.treeSize || latest.treeSize === this.sealed.treeSize) && !verifier.checkpoint(latest)) return liveFailure();
    const latestRoot = rootOf(latest.note);
    for (const segment of this.closing) {
      const proof = await this.liveConsistencyProof(segment.to, latest.treeSize);
      if (typeof proof === 'string' || !verifyConsistency(proof, segment.root, latestRoot)) {
        return {
          code: 'LIVE_LOG_INCONSISTENT',
          live: true,
          key: segment.key,
          treeSize: segment.to,
          message: `the live log's checkpoint at tree size ${latest.treeSize} is not consistent with ${segment.key}'s checkpoint at tree size ${segment.to}${typeof proof === 'string' ? ` (${proof})` : ' (the consistency proof from the live store does not verify)'}`,
        };
      }
    }
    this.live = { treeSize: latest.treeSize, rootHash: latestRoot.toString('base64'), entriesAfterArchive: tail };
    return undefined;
  }

  private async liveConsistencyProof(fromSize: number, toSize: number) {
    try {
      const nodes = await this.options.store.readNodes(this.options.tenant, consistencyProofNodes(fromSize, toSize));
      return buildConsistencyProof(fromSize, toSize, (r) => nodes.get(nodeKey(r)) as Buffer);
    } catch (e) {
      return (e as Error).message;
    }
  }

  private result(failure: ArchiveFailure | undefined): ArchiveVerification {
    return {
      ok: failure === undefined,
      tenant: this.options.tenant,
      origin: this.origin,
      segments: this.verified,
      entries: this.entries,
      live: failure === undefined ? this.live : undefined,
      keysLearned: this.verifier?.finish().keysLearned ?? [],
      warnings: this.warnings,
      failure,
    };
  }
}

// The live store's entry at the archived entry's sequence must be the same entry.
function compareWithLive(live: IteratorResult<StoredEntry>, archived: SegmentEntry): ArchiveFailure | undefined {
  const { sequence } = archived;
  if (live.done || live.value.sequence !== sequence) {
    return { code: 'LIVE_ENTRY_MISSING', live: true, sequence, message: `entry ${sequence} is archived but missing from the live log` };
  }
  const entry = live.value;
  if (!entry.canonical.equals(archived.canonical)) {
    return {
      code: 'LIVE_ENTRY_MISMATCH',
      live: true,
      sequence,
      message: `entry ${sequence}: the live log holds other bytes than the archive (live leaf hash ${entry.leafHash.toString('base64')}, archived ${archived.leafHash.toString('base64')})`,
    };
  }
  if (!entry.leafHash.equals(archived.leafHash) || !entry.chainHash.equals(archived.chainHash)) {
    return {
      code: 'LIVE_ENTRY_MISMATCH',
      live: true,
      sequence,
      message: `entry ${sequence}: the live log stores other hashes for it than the archive`,
    };
  }
  return undefined;
}

function rootOf(note: string): Buffer {
  return Buffer.from(parseCheckpoint(parseSignedNote(note).text).rootHash);
}
