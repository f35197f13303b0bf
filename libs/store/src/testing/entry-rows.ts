import { canonicalBytes, chainHash, CompactRange, GENESIS_CHAIN_HASH, leafHash } from '@evidence-ledger/core';
import { EntryIndex, EntryRow, LogHead, StoredCheckpoint } from '../ledger-store';

// Fabricates well-formed rows continuing a log, the way the appender would, so store
// contract tests do not depend on the appender itself.
export class RowFactory {
  private range = CompactRange.empty();
  private chain: Buffer = GENESIS_CHAIN_HASH;

  constructor(private readonly tenant = 'acme') {}

  get head(): LogHead {
    return { treeSize: this.range.treeSize, chainHash: this.chain };
  }

  // `index` sets the filterable attributes of each row; they are copied into its canonical
  // bytes too, so an entry's body and its index columns agree as the sequencer's would.
  rows(
    count: number,
    overrides: Partial<{ id: (seq: number) => string; changeid: string; type: string; index: (seq: number) => Partial<EntryIndex> }> = {},
  ): EntryRow[] {
    const rows: EntryRow[] = [];
    for (let i = 0; i < count; i++) {
      const sequence = this.range.treeSize;
      const id = overrides.id?.(sequence) ?? uuidFor(this.tenant, sequence);
      const index: EntryIndex = {
        type: overrides.type ?? 'x.test.event',
        source: 'urn:test',
        changeid: overrides.changeid,
        recordedAt: '2026-11-21T00:00:00.000Z',
        ...overrides.index?.(sequence),
      };
      const { type, source, subject, changeid, actorId, time, recordedAt } = index;
      const actor = actorId === undefined ? undefined : { kind: 'agent', id: actorId };
      const canonical = canonicalBytes({
        specversion: '1.0',
        id,
        source,
        type,
        subject,
        time,
        changeid,
        actor,
        data: { n: sequence },
        tenant: this.tenant,
        sequence,
        recordedAt,
        producer: 'test',
      });
      const leaf = leafHash(canonical);
      this.chain = chainHash(this.chain, leaf);
      const completed = this.range.append(leaf);
      rows.push({
        sequence,
        id,
        canonical,
        leafHash: leaf,
        chainHash: this.chain,
        nodes: Buffer.concat(completed.map((n) => n.hash)),
        index,
      });
    }
    return rows;
  }

  checkpoint(): StoredCheckpoint {
    const root = this.range.root();
    return {
      treeSize: this.range.treeSize,
      rootHash: root,
      note: `test/${this.tenant}\n${this.range.treeSize}\n${root.toString('base64')}\n\n— test AAAA\n`,
    };
  }

  root(): Buffer {
    return this.range.root();
  }
}

export function uuidFor(tenant: string, sequence: number): string {
  const hex = Buffer.from(`${tenant}:${sequence}`).toString('hex').padEnd(32, '0').slice(0, 24) + sequence.toString(16).padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
