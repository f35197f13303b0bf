import { EntryRow } from '../ledger-store';
import { RowFactory } from '../testing/entry-rows';
import { fromRecordedEvent, RecordedEntryEvent, toEntryEvent } from './entry-event';
import { decodeEntry, encodeEntryMetadata, METADATA_FORMAT } from './entry-metadata';

const STREAM = 'ledger-acme';

// Rows with every optional index attribute set on even sequences and none on odd ones.
function rows(count: number): { rows: EntryRow[]; factory: RowFactory } {
  const factory = new RowFactory();
  const made = factory.rows(count, {
    index: (seq) =>
      seq % 2 === 0
        ? { subject: 'src/pay.ts', changeid: 'github.com/acme/pay#482', actorId: 'agent:claude', time: '2026-11-20T23:59:59.123456+02:00' }
        : {},
  });
  return { rows: made, factory };
}

// The metadata as a read returns it: JSON text parsed back.
const overTheWire = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

describe('KurrentDB entry metadata', () => {
  it('round-trips every field of an entry, its index attributes and its checkpoint', () => {
    const {
      rows: [first, second, third],
      factory,
    } = rows(3);
    const checkpoint = factory.checkpoint();
    for (const [row, cp] of [
      [first, undefined],
      [second, undefined],
      [third, checkpoint],
    ] as const) {
      const decoded = decodeEntry(STREAM, row.sequence, new Uint8Array(row.canonical), overTheWire(encodeEntryMetadata(row, cp)));
      expect(decoded.entry).toEqual({
        sequence: row.sequence,
        id: row.id,
        canonical: row.canonical,
        leafHash: row.leafHash,
        chainHash: row.chainHash,
        nodes: row.nodes,
      });
      expect(decoded.index).toEqual(row.index);
      expect(decoded.checkpoint).toEqual(cp);
    }
  });

  it('is a flat object of strings, with the checkpoint only where one is given', () => {
    const {
      rows: [row],
      factory,
    } = rows(1);
    const plain = encodeEntryMetadata(row);
    expect(Object.values(plain).every((v) => typeof v === 'string')).toBe(true);
    expect(plain).toMatchObject({ ledger: METADATA_FORMAT, id: row.id, leafHash: row.leafHash.toString('base64'), nodes: '' });
    expect(plain).not.toHaveProperty('checkpointNote');
    expect(encodeEntryMetadata(row, factory.checkpoint())).toMatchObject({
      checkpointTreeSize: '1',
      checkpointNote: factory.checkpoint().note,
    });
  });

  it('leaves absent index attributes absent', () => {
    const {
      rows: [, odd],
    } = rows(2);
    const metadata = encodeEntryMetadata(odd);
    for (const key of ['subject', 'changeid', 'actorId', 'time']) expect(metadata).not.toHaveProperty(key);
    const { index } = decodeEntry(STREAM, 1, new Uint8Array(odd.canonical), overTheWire(metadata));
    expect(index.subject).toBeUndefined();
  });

  describe('reports as STORE_CORRUPT, naming the stream and sequence,', () => {
    const { rows: made, factory } = rows(4);
    const row = made[3];
    const good = () => overTheWire(encodeEntryMetadata(row, factory.checkpoint()));
    const decode =
      (metadata: unknown, data: unknown = new Uint8Array(row.canonical)) =>
      () =>
        decodeEntry(STREAM, 3, data, metadata);

    it.each<[string, (m: Record<string, unknown>) => unknown]>([
      ['no metadata at all', () => undefined],
      ['metadata that is not JSON (raw bytes)', () => new Uint8Array([1, 2, 3])],
      ['metadata that is an array', () => []],
      ['an unknown layout version', (m) => ({ ...m, ledger: '2' })],
      ['a missing event id', (m) => ({ ...m, id: undefined })],
      ['an event id that is not a UUID', (m) => ({ ...m, id: 'not-a-uuid' })],
      ['a leaf hash that is not base64', (m) => ({ ...m, leafHash: 'not base64!' })],
      ['a truncated chain hash', (m) => ({ ...m, chainHash: row.chainHash.subarray(0, 31).toString('base64') })],
      ['nodes that are not whole hashes', (m) => ({ ...m, nodes: Buffer.alloc(33).toString('base64') })],
      ['a missing type', (m) => ({ ...m, type: '' })],
      ['a recordedAt that is not a string', (m) => ({ ...m, recordedAt: 42 })],
      ['a subject that is not a string', (m) => ({ ...m, subject: null })],
      ['half a checkpoint', (m) => ({ ...m, checkpointNote: undefined })],
      ['a checkpoint for another tree size', (m) => ({ ...m, checkpointTreeSize: '3' })],
      ['a checkpoint root that is not 32 bytes', (m) => ({ ...m, checkpointRootHash: 'AAAA' })],
    ])('%s', (_what, alter) => {
      expect(decode(alter(good()))).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT', details: { stream: STREAM, sequence: 3 } }));
    });

    it('data that is not binary', () => {
      expect(decode(good(), JSON.parse(row.canonical.toString()))).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
    });
  });
});

describe('KurrentDB entry events', () => {
  const { rows: made, factory } = rows(2);

  it('carry the entry bytes verbatim as binary data, typed by the entry type', () => {
    const event = toEntryEvent(made[1], factory.checkpoint());
    expect(event.contentType).toBe('application/octet-stream');
    expect(event.type).toBe(made[1].index.type);
    expect(Buffer.from(event.data).equals(made[1].canonical)).toBe(true);
    expect(event.metadata).toEqual(encodeEntryMetadata(made[1], factory.checkpoint()));
  });

  it('get a fresh KurrentDB event id on every append attempt, never the producer id', () => {
    const a = toEntryEvent(made[0]);
    const b = toEntryEvent(made[0]);
    expect(a.id).not.toBe(b.id);
    expect(a.id).not.toBe(made[0].id);
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuse an event type KurrentDB reserves for itself', () => {
    const row = { ...made[0], index: { ...made[0].index, type: '$metadata' } };
    expect(() => toEntryEvent(row)).toThrow(RangeError);
  });

  const recorded = (overrides: Partial<RecordedEntryEvent> = {}): RecordedEntryEvent => {
    const event = toEntryEvent(made[1], factory.checkpoint());
    return {
      streamId: STREAM,
      id: event.id,
      revision: 1n,
      type: event.type,
      isJson: false,
      data: event.data,
      metadata: overTheWire(event.metadata),
      ...overrides,
    };
  };

  it('read back into the entry, its attributes and its checkpoint', () => {
    const decoded = fromRecordedEvent(recorded());
    expect(decoded.entry.sequence).toBe(1);
    expect(decoded.entry.canonical.equals(made[1].canonical)).toBe(true);
    expect(decoded.checkpoint?.treeSize).toBe(2);
  });

  it.each<[string, Partial<RecordedEntryEvent>]>([
    ['a JSON event', { isJson: true }],
    ['an event of another type than its entry', { type: 'x.other' }],
    ['an event at a revision past 2^53', { revision: 2n ** 60n }],
    ['an event at another revision than its checkpoint says', { revision: 4n }],
  ])('report %s as STORE_CORRUPT', (_what, overrides) => {
    expect(() => fromRecordedEvent(recorded(overrides))).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
  });
});
