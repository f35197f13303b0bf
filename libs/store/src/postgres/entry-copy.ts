import { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { EntryRow } from '../ledger-store';
import { eventTimeMicros, recordedAtMicros } from './postgres-timestamp';

/** Batches at least this large go in by binary COPY; smaller ones by one unnest INSERT. */
export const COPY_MIN_ROWS = 100;

const COPY_COLUMNS =
  '(log_id, sequence, id, type, source, subject, changeid, actor_id, event_time, recorded_at, canonical, leaf_hash, chain_hash, nodes)';
const FIELDS = 14;
// Header: signature, flags, header-extension length (PostgreSQL docs, COPY "Binary Format").
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
// Per row: field count, 14 length words, and the fixed-width values (int4, int8, uuid, 2 × timestamptz).
const FIXED_ROW_BYTES = 2 + FIELDS * 4 + 4 + 8 + 16 + 8 + 8;

// Encodes rows in PostgreSQL's binary COPY format: bytea columns travel as raw bytes (the
// unnest path sends them hex-encoded, twice the size) and the server parses nothing.
// Sized up front from an upper bound (3 UTF-8 bytes per UTF-16 unit), written in one pass;
// timestamps repeat within a batch, so each distinct text is parsed once.
export function encodeEntries(logId: number, rows: readonly EntryRow[]): Buffer {
  let bound = HEADER.length + 2;
  for (const r of rows) {
    const x = r.index;
    bound += FIXED_ROW_BYTES + r.canonical.length + r.leafHash.length + r.chainHash.length + r.nodes.length;
    bound += 3 * (x.type.length + x.source.length + (x.subject?.length ?? 0) + (x.changeid?.length ?? 0) + (x.actorId?.length ?? 0));
  }
  const buf = Buffer.allocUnsafe(bound);
  let at = HEADER.copy(buf, 0);
  const eventTimes = new Map<string, bigint | undefined>();
  const recordedAts = new Map<string, bigint>();

  const int32 = (v: number) => (at = buf.writeInt32BE(v, at));
  const bytes = (b: Buffer) => {
    int32(b.length);
    at += b.copy(buf, at);
  };
  const text = (s: string | undefined) => {
    if (s === undefined) return int32(-1);
    const n = writeUtf8(buf, at + 4, s);
    int32(n);
    at += n;
  };
  const timestamp = (micros: bigint | undefined) => {
    if (micros === undefined) return int32(-1);
    int32(8);
    at = buf.writeBigInt64BE(micros, at);
  };

  for (const r of rows) {
    const x = r.index;
    at = buf.writeInt16BE(FIELDS, at);
    int32(4);
    int32(logId);
    int32(8);
    at = buf.writeUInt32BE(Math.floor(r.sequence / 2 ** 32), at);
    at = buf.writeUInt32BE(r.sequence >>> 0, at);
    int32(16);
    if (!writeUuid(buf, at, r.id)) throw new RangeError(`event id ${JSON.stringify(r.id)} is not a UUID`);
    at += 16;
    text(x.type);
    text(x.source);
    text(x.subject);
    text(x.changeid);
    text(x.actorId);
    if (x.time !== undefined && !eventTimes.has(x.time)) eventTimes.set(x.time, eventTimeMicros(x.time));
    timestamp(x.time === undefined ? undefined : eventTimes.get(x.time));
    let recordedAt = recordedAts.get(x.recordedAt);
    if (recordedAt === undefined) recordedAts.set(x.recordedAt, (recordedAt = recordedAtMicros(x.recordedAt)));
    timestamp(recordedAt);
    bytes(r.canonical);
    bytes(r.leafHash);
    bytes(r.chainHash);
    bytes(r.nodes);
  }
  at = buf.writeInt16BE(-1, at);
  return buf.subarray(0, at);
}

// Envelope attributes are nearly always short ASCII, which a plain loop copies several times
// faster than Buffer#write; anything else takes the general path.
function writeUtf8(buf: Buffer, at: number, s: string): number {
  if (s.length > 64) return buf.write(s, at, 'utf8');
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return buf.write(s, at, 'utf8');
    buf[at + i] = c;
  }
  return s.length;
}

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

// The 16 bytes of an 8-4-4-4-12 hex UUID, as PostgreSQL's uuid_send writes them.
function writeUuid(buf: Buffer, at: number, id: string): boolean {
  if (id.length !== 36) return false;
  for (let i = 0; i < 36;) {
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (id.charCodeAt(i++) !== 0x2d) return false;
      continue;
    }
    const hi = HEX_VALUE[id.charCodeAt(i++)] ?? -1;
    const lo = HEX_VALUE[id.charCodeAt(i++)] ?? -1;
    if (hi < 0 || lo < 0) return false;
    buf[at++] = (hi << 4) | lo;
  }
  return true;
}

// Streams the encoded rows into `table` on the session's client (inside its transaction);
// resolves once the server has accepted them all.
export function copyEntries(client: PoolClient, table: string, logId: number, rows: readonly EntryRow[]): Promise<void> {
  const data = encodeEntries(logId, rows);
  return new Promise<void>((resolve, reject) => {
    const stream = client.query(copyFrom(`COPY ${table} ${COPY_COLUMNS} FROM STDIN (FORMAT binary)`));
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(data);
  });
}
