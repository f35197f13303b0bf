import { randomBytes } from 'node:crypto';
import { chainHash, CompactRange, entryBytes, EventEnvelope, GENESIS_CHAIN_HASH, leafHash, prepareEvent } from '@evidence-ledger/core';
import { EntryRow } from '@evidence-ledger/store';

// The same event as libs/ledger/src/testing/events.ts `modelInvocation()` (that folder is not
// part of the ledger's build, so the benchmarks carry their own copy; keep the two in step).
// About 600 bytes of canonical JSON, a fresh UUIDv7 each time.
export function modelInvocation(): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: uuidv7(),
    source: 'urn:acme:agent-gateway',
    type: 'model.invocation.completed',
    subject: 'github.com/acme/pay#482',
    time: '2026-11-21T05:00:00.000Z',
    datacontenttype: 'application/json',
    actor: { kind: 'agent', id: 'coding-agent-7', role: 'implementer' },
    changeid: 'github.com/acme/pay#482',
    data: {
      provider: 'anthropic',
      model: 'claude-sonnet',
      modelVersion: '2026-09-01',
      promptDigest: `sha256:${'a'.repeat(64)}`,
      responseDigest: `sha256:${'b'.repeat(64)}`,
      tokensIn: 1234,
      tokensOut: 567,
      costUsd: 0.0123,
      latencyMs: 812,
    },
  };
}

// UUIDv7 (RFC 9562 §5.7): time-ordered, like a producer SDK makes them.
export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

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
