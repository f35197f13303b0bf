import { Readable } from 'node:stream';
import {
  buildConsistencyProof,
  chainHash,
  CompactRange,
  consistencyProofNodes,
  frontierNodes,
  GENESIS_CHAIN_HASH,
  leafHash,
  parseCheckpoint,
  parseSignedNote,
  assertTenantName,
} from '@evidence-ledger/core';
import { LedgerStore, nodeKey, StoredCheckpoint, StoredEntry } from '@evidence-ledger/store';
import { checkpointLine, entryLine, SEGMENT_CONTENT_TYPE, SEGMENT_FORMAT, SegmentHeader } from '@evidence-ledger/verify';
import { ArchivedObject, ArchiveError, ArchiveStore } from '../stores';
import { listSegments } from './archived-segments';
import { SEGMENT_CLAIM_FORMAT, SegmentClaim } from './segment-claim';
import { SegmentError } from './segment-error';
import { segmentClaimKey, segmentKey } from './segment-keys';

export interface SealOptions {
  /** Seal up to this tree size (a checkpoint must exist at it); default the latest checkpoint. */
  readonly to?: number;
  /** The segment cannot be deleted or overwritten before this instant. */
  readonly retainUntil: Date;
  readonly legalHold?: boolean;
}

export interface SealedSegment {
  readonly tenant: string;
  readonly from: number;
  readonly to: number;
  readonly checkpoints: number;
  readonly object: ArchivedObject;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Seals a tenant's log into the archive, segment after segment: entries [from, to) where
 * `from` is where the previous sealed segment ends (0 for the first) and `to` is the tree size
 * of a signed checkpoint. The segment carries the checkpoint it starts from, the consistency
 * proof to the one it ends with, and everything needed to continue the chain and the tree.
 *
 * Nothing inconsistent is ever sealed: while streaming the segment into the archive the
 * sealer re-hashes every entry, extends the chain and the Merkle tree from the previous
 * segment's frontier, and compares each checkpoint's root; on any mismatch the stream fails
 * and the archive stores nothing. (Signatures are checked by `verifyArchive`, which holds the
 * public key; sealing needs none.)
 */
export class SegmentSealer {
  constructor(
    private readonly store: LedgerStore,
    private readonly archive: ArchiveStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  // Where the next segment of `tenant` starts: the end of the last sealed one, or 0.
  async sealedUpTo(tenant: string): Promise<number> {
    const { segments } = await listSegments(this.archive, tenant);
    return segments.length === 0 ? 0 : segments[segments.length - 1].to;
  }

  // Seals the next segment; undefined when the log has no checkpoint past what is sealed.
  async seal(tenant: string, options: SealOptions): Promise<SealedSegment | undefined> {
    assertTenantName(tenant);
    const from = await this.sealedUpTo(tenant);
    const latest = await this.store.latestCheckpoint(tenant);
    if (!latest) throw new SegmentError('TENANT_UNKNOWN', `tenant ${tenant} has no signed checkpoint in ${this.store.location}`);
    if (latest.treeSize < from) {
      throw new SegmentError(
        'LOG_INCONSISTENT',
        `tenant ${tenant}: the archive is sealed up to tree size ${from}, but the live log's latest checkpoint is at ${latest.treeSize}: the live log lost entries; run archive verify`,
      );
    }
    const wanted = options.to ?? latest.treeSize;
    if (!Number.isSafeInteger(wanted) || wanted < 0) throw new SegmentError('USAGE', `--to must be a tree size, not ${options.to}`);
    if (wanted <= from) {
      if (options.to !== undefined && wanted < from) {
        throw new SegmentError('USAGE', `tenant ${tenant} is already sealed up to tree size ${from}; --to ${wanted} is behind it`);
      }
      return undefined;
    }
    if (wanted > latest.treeSize) {
      throw new SegmentError(
        'USAGE',
        `tenant ${tenant}'s latest checkpoint is at tree size ${latest.treeSize}; there is nothing signed at ${wanted}`,
      );
    }
    const wantedEnd = wanted === latest.treeSize ? latest : await this.store.checkpointAt(tenant, wanted);
    if (!wantedEnd) {
      throw new SegmentError('USAGE', `tenant ${tenant} has no checkpoint at tree size ${wanted}; ${await this.nearby(tenant, wanted)}`);
    }
    const to = await this.claim(tenant, from, wanted, options);
    const end = to === wanted ? wantedEnd : await this.store.checkpointAt(tenant, to);
    if (!end) {
      throw new SegmentError(
        'LOG_INCONSISTENT',
        `tenant ${tenant}: the segment from entry ${from} was claimed to end at tree size ${to}, but the live log has no checkpoint there`,
      );
    }
    const start = from === 0 ? undefined : await this.store.checkpointAt(tenant, from);
    if (from > 0 && !start) {
      throw new SegmentError(
        'LOG_INCONSISTENT',
        `tenant ${tenant}: the checkpoint at tree size ${from}, where the last sealed segment ends, is missing`,
      );
    }

    const header = await this.header(tenant, from, to, end);
    const frontier = header.start.frontier.map((h) => Buffer.from(h, 'base64'));
    const written = { checkpoints: 0 };
    const lines = this.lines(tenant, header, start, end, frontier, written);
    const object = await this.archive.put(segmentKey(tenant, from, to), Readable.from(lines), {
      retainUntil: options.retainUntil,
      contentType: SEGMENT_CONTENT_TYPE,
      legalHold: options.legalHold,
    });
    return { tenant, from, to, checkpoints: written.checkpoints, object };
  }

  // Segments are write-once: two overlapping ones (two seals racing with different ends) could
  // never be removed again. So the end of the segment starting at `from` is decided once, by
  // a write-once claim object; a later or concurrent seal adopts the claimed end, and a seal that
  // died after claiming is completed by the next one.
  private async claim(tenant: string, from: number, to: number, options: SealOptions): Promise<number> {
    const key = segmentClaimKey(tenant, from);
    const claim: SegmentClaim = { format: SEGMENT_CLAIM_FORMAT, tenant, from, to };
    try {
      await this.archive.put(key, Buffer.from(`${JSON.stringify(claim)}\n`), {
        retainUntil: options.retainUntil,
        contentType: 'application/json',
      });
      return to;
    } catch (e) {
      if (!(e instanceof ArchiveError && e.code === 'OBJECT_EXISTS')) throw e;
    }
    const existing = await readClaim(this.archive, key);
    if (existing.tenant !== tenant || existing.from !== from || !Number.isSafeInteger(existing.to) || existing.to <= from) {
      throw new SegmentError('LOG_INCONSISTENT', `the archive's claim ${key} is malformed; nothing was archived`);
    }
    return existing.to;
  }

  private async header(tenant: string, from: number, to: number, end: StoredCheckpoint): Promise<SegmentHeader> {
    const frontierRefs = frontierNodes(from);
    const proofRefs = consistencyProofNodes(from, to);
    const nodes = await this.store.readNodes(tenant, [...frontierRefs, ...proofRefs]);
    const node = (r: { level: number; index: number }) => nodes.get(nodeKey(r)) as Buffer;
    const before = from === 0 ? undefined : await this.store.getEntry(tenant, from - 1);
    if (from > 0 && !before) throw inconsistent(tenant, from - 1, 'the entry is missing');
    return {
      format: SEGMENT_FORMAT,
      tenant,
      origin: noteCheckpoint(end, tenant).origin,
      from,
      to,
      sealedAt: this.clock().toISOString(),
      start: {
        chainHash: (before?.chainHash ?? GENESIS_CHAIN_HASH).toString('base64'),
        frontier: frontierRefs.map((r) => node(r).toString('base64')),
      },
      consistencyProof: buildConsistencyProof(from, to, node).hashes.map((h) => Buffer.from(h).toString('base64')),
    };
  }

  // The segment's bytes, checked as they are produced: a mismatch throws inside the stream.
  private lines(
    tenant: string,
    header: SegmentHeader,
    start: StoredCheckpoint | undefined,
    end: StoredCheckpoint,
    frontier: readonly Buffer[],
    state: { checkpoints: number },
  ): AsyncIterable<Buffer> {
    const { store } = this;
    const { from, to } = header;
    async function* produce(): AsyncIterable<Buffer> {
      const range = from === 0 ? CompactRange.empty() : CompactRange.fromFrontier(from, frontier);
      let chain: Buffer = Buffer.from(header.start.chainHash, 'base64');
      let pending: string[] = [];
      let pendingBytes = 0;
      const push = (line: string) => {
        pending.push(line, '\n');
        pendingBytes += line.length + 1;
      };
      const flush = () => {
        const chunk = Buffer.from(pending.join(''), 'utf8');
        pending = [];
        pendingBytes = 0;
        return chunk;
      };
      let lastCheckpoint = from;
      const pushCheckpoint = (checkpoint: StoredCheckpoint) => {
        expectRoot(tenant, checkpoint, range.root());
        push(checkpointLine(checkpoint.note));
        state.checkpoints++;
        lastCheckpoint = checkpoint.treeSize;
      };
      push(JSON.stringify(header));
      if (start) {
        expectRoot(tenant, start, range.root());
        push(checkpointLine(start.note));
      }
      const checkpoints = store.readCheckpoints(tenant, from)[Symbol.asyncIterator]();
      try {
        let next = await checkpoints.next();
        let expected = from;
        for await (const entry of store.readEntries(tenant, from, to)) {
          chain = checkEntry(tenant, entry, expected, chain);
          range.append(entry.leafHash);
          push(entryLine(entry));
          expected++;
          // Checkpoints are filed by tree size, ascending: the next one due is at `expected` at the earliest.
          while (!next.done && next.value.treeSize <= expected) {
            pushCheckpoint(next.value);
            next = await checkpoints.next();
          }
          if (pendingBytes >= CHUNK_BYTES) yield flush();
        }
        if (expected !== to) throw inconsistent(tenant, expected, 'the entry is missing');
        if (lastCheckpoint !== to) pushCheckpoint(end);
      } finally {
        await checkpoints.return?.();
      }
      yield flush();
    }
    return produce();
  }

  private async nearby(tenant: string, size: number): Promise<string> {
    let below: number | undefined;
    let above: number | undefined;
    for await (const c of this.store.readCheckpoints(tenant)) {
      if (c.treeSize < size) below = c.treeSize;
      else if (c.treeSize > size) {
        above = c.treeSize;
        break;
      }
    }
    const around = [below, above].filter((n) => n !== undefined).join(' and ');
    return around ? `the nearest checkpoints are at ${around}` : 'the log has no checkpoint';
  }
}

// One entry as read from the store: in sequence, its leaf hash the hash of its bytes, its chain
// hash following from the previous one. Returns the new chain hash.
function checkEntry(tenant: string, entry: StoredEntry, expected: number, chain: Buffer): Buffer {
  if (entry.sequence !== expected) throw inconsistent(tenant, expected, 'the entry is missing');
  if (!leafHash(entry.canonical).equals(entry.leafHash)) throw inconsistent(tenant, expected, 'its leaf hash is not the hash of its bytes');
  const next = chainHash(chain, entry.leafHash);
  if (!next.equals(entry.chainHash)) throw inconsistent(tenant, expected, 'its chain hash does not follow from the entries before it');
  return next;
}

async function readClaim(archive: ArchiveStore, key: string): Promise<SegmentClaim> {
  const { body } = await archive.get(key);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as SegmentClaim;
  } catch (cause) {
    throw new SegmentError('LOG_INCONSISTENT', `the archive's claim ${key} is not JSON; nothing was archived`, { cause });
  }
}

function expectRoot(tenant: string, checkpoint: StoredCheckpoint, computed: Buffer): void {
  const signed = Buffer.from(noteCheckpoint(checkpoint, tenant).rootHash);
  if (!signed.equals(computed) || !checkpoint.rootHash.equals(computed)) {
    throw new SegmentError(
      'LOG_INCONSISTENT',
      `tenant ${tenant}: the checkpoint at tree size ${checkpoint.treeSize} does not sign the root of the entries before it; run verify-log; nothing was archived`,
    );
  }
}

function noteCheckpoint(checkpoint: StoredCheckpoint, tenant: string) {
  try {
    return parseCheckpoint(parseSignedNote(checkpoint.note).text);
  } catch (cause) {
    throw new SegmentError(
      'LOG_INCONSISTENT',
      `tenant ${tenant}: the checkpoint at tree size ${checkpoint.treeSize} is malformed; run verify-log`,
      {
        cause,
      },
    );
  }
}

function inconsistent(tenant: string, sequence: number, why: string): SegmentError {
  return new SegmentError('LOG_INCONSISTENT', `tenant ${tenant}, entry ${sequence}: ${why}; run verify-log; nothing was archived`, {
    sequence,
  });
}
