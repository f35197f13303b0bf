import { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { EntryRow } from '@evidence-ledger/store';

export const ENTRY_COLUMNS = [
  'log_id',
  'sequence',
  'id',
  'type',
  'source',
  'subject',
  'changeid',
  'actor_id',
  'event_time',
  'recorded_at',
  'canonical',
  'leaf_hash',
  'chain_hash',
  'nodes',
] as const;

const SIGNATURE = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

// The rows in PostgreSQL's binary COPY format (docs: COPY, "Binary Format"), written the
// plain way — one small Buffer per field, concatenated — as a client without a tuned
// encoder would. Baseline use only.
export function encodeBinaryCopy(logId: number, rows: readonly EntryRow[]): Buffer {
  const parts: Buffer[] = [SIGNATURE];
  const field = (b: Buffer | undefined) => {
    const len = Buffer.alloc(4);
    len.writeInt32BE(b === undefined ? -1 : b.length);
    parts.push(len);
    if (b !== undefined) parts.push(b);
  };
  const int32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return b;
  };
  const int64 = (v: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    return b;
  };
  const text = (s: string | undefined) => (s === undefined ? undefined : Buffer.from(s, 'utf8'));
  const timestamp = (iso: string | undefined) =>
    iso === undefined ? undefined : int64(BigInt(Date.parse(iso) - POSTGRES_EPOCH_MS) * 1000n);
  for (const r of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(ENTRY_COLUMNS.length);
    parts.push(count);
    const x = r.index;
    field(int32(logId));
    field(int64(BigInt(r.sequence)));
    field(Buffer.from(r.id.replace(/-/g, ''), 'hex'));
    field(text(x.type));
    field(text(x.source));
    field(text(x.subject));
    field(text(x.changeid));
    field(text(x.actorId));
    field(timestamp(x.time));
    field(timestamp(x.recordedAt));
    field(r.canonical);
    field(r.leafHash);
    field(r.chainHash);
    field(r.nodes);
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

export function copyRows(client: PoolClient, logId: number, rows: readonly EntryRow[]): Promise<void> {
  const data = encodeBinaryCopy(logId, rows);
  return new Promise<void>((resolve, reject) => {
    const stream = client.query(copyFrom(`COPY entries (${ENTRY_COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`));
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(data);
  });
}
