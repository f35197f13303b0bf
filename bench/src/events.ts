import { chainHash, CompactRange, entryBytes, EventEnvelope, GENESIS_CHAIN_HASH, leafHash, prepareEvent } from '@evidence-ledger/core';
import { EntryRow } from '@evidence-ledger/store';

// The ledger's sample event: ~600 bytes of canonical JSON, a fresh UUIDv7 each time.
import { sampleModelInvocation as modelInvocation } from '@evidence-ledger/samples';

export { modelInvocation };
export { uuidv7 } from '@evidence-ledger/core';

export const events = (n: number): Record<string, unknown>[] => Array.from({ length: n }, modelInvocation);

export const BENCH_TENANT = 'bench';
export const BENCH_PRODUCER = 'bench-producer';

/**
 * Rows exactly as the ledger would store them for the same events — same canonical bytes,
 * real leaf, chain and Merkle-node hashes, same index columns — for the raw-insert baselines.
 * Built untimed: the baselines measure the database, not the hashing.
 */
export class EntryRowFactory {
  private readonly range = CompactRange.empty();
  private chain: Buffer = GENESIS_CHAIN_HASH;

  next(count: number): EntryRow[] {
    const recordedAt = new Date().toISOString();
    return Array.from({ length: count }, () => {
      const envelope = modelInvocation() as unknown as EventEnvelope;
      const sequence = this.range.treeSize;
      const canonical = entryBytes(prepareEvent(envelope), { tenant: BENCH_TENANT, sequence, recordedAt, producer: BENCH_PRODUCER });
      const leaf = leafHash(canonical);
      this.chain = chainHash(this.chain, leaf);
      const completed = this.range.append(leaf);
      return {
        sequence,
        id: envelope.id,
        canonical,
        leafHash: leaf,
        chainHash: this.chain,
        nodes: Buffer.concat(completed.map((c) => c.hash)),
        index: {
          type: envelope.type,
          source: envelope.source,
          subject: envelope.subject,
          changeid: envelope.changeid,
          actorId: envelope.actor?.id,
          time: envelope.time,
          recordedAt,
        },
      };
    });
  }
}
