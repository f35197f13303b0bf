import { DumpedRow, ForensicsStore, forensicsStoreOf, ForensicsRow, ForensicsSchema } from '../forensics-store';
import { RowFactory } from './entry-rows';
import { StoreUnderTest } from './ledger-store.contract';

const SCHEMA: ForensicsSchema = {
  tables: [
    {
      name: 'things',
      columns: [
        { name: 'color', type: 'text' },
        { name: 'size', type: 'integer' },
      ],
      indexes: [['color'], ['size']],
    },
    { name: 'notes', columns: [], indexes: [] },
  ],
};

const thing = (key: string, ord: number, color: string | null, size: number | null, doc = `{"k":"${key}"}`): ForensicsRow => ({
  key,
  ord,
  columns: { color, size },
  doc,
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

// The behaviour every ForensicsStore adapter must show. Run it from each adapter's
// `*-forensics.int-spec.ts` against a real database.
export function describeForensicsStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name} ForensicsStore contract`, () => {
    let sut: StoreUnderTest;
    let store: ForensicsStore;
    beforeEach(async () => {
      sut = await open();
      store = forensicsStoreOf(sut.store);
      await store.migrate(SCHEMA);
    });
    afterEach(async () => sut.cleanup());

    const write = (tenant: string, rows: ForensicsRow[], positions: Record<string, number> = {}, table = 'things') =>
      store.withTransaction(tenant, (tx) => tx.write({ upserts: rows.map((row) => ({ table, row })), positions }));

    it('commits rows and positions together', async () => {
      await write('acme', [thing('a', 1, 'red', 3)], { timeline: 7 });
      expect(await store.positions('acme')).toEqual({ timeline: 7 });
      expect(await store.readRows('acme', 'things', ['a', 'missing'])).toEqual([thing('a', 1, 'red', 3)]);
    });

    it('rolls back rows and positions when the work throws', async () => {
      await write('acme', [thing('a', 1, 'red', 3)], { timeline: 1 });
      const failing = store.withTransaction('acme', async (tx) => {
        await tx.write({ upserts: [{ table: 'things', row: thing('b', 2, 'blue', 1) }], positions: { timeline: 2 } });
        throw new Error('projection failed half-way');
      });
      await expect(failing).rejects.toThrow('projection failed half-way');
      expect(await store.positions('acme')).toEqual({ timeline: 1 });
      expect(await store.readRows('acme', 'things', ['b'])).toEqual([]);
    });

    it('replaces a row written again under the same key', async () => {
      await write('acme', [thing('a', 1, 'red', 3)]);
      await write('acme', [thing('a', 5, null, null, '{"v":2}')]);
      expect(await store.readRows('acme', 'things', ['a'])).toEqual([thing('a', 5, null, null, '{"v":2}')]);
    });

    it('reads the committed log entries from a position inside the transaction', async () => {
      const f = new RowFactory('acme');
      const rows = f.rows(5);
      await sut.store.withAppendSession('acme', (s) => s.append(rows, f.checkpoint(), f.head));
      const read = await store.withTransaction('acme', (tx) => tx.readEntries(2, 2));
      expect(read.map((e) => e.sequence)).toEqual([2, 3]);
      expect(read[0].canonical.equals(rows[2].canonical)).toBe(true);
      expect(await store.withTransaction('acme', (tx) => tx.readEntries(5, 10))).toEqual([]);
      expect(await store.withTransaction('nobody', (tx) => tx.readEntries(0, 10))).toEqual([]);
    });

    it('filters, orders and pages a table by ord', async () => {
      await write('acme', [
        thing('a', 1, 'red', 1),
        thing('b', 2, 'blue', 2),
        thing('c', 3, 'red', 3),
        thing('d', 4, 'red', 4),
        thing('e', 5, null, 5),
      ]);
      const red = await store.select('acme', 'things', { equals: { color: 'red' }, limit: 2 });
      expect(red.rows.map((r) => r.key)).toEqual(['a', 'c']);
      expect(red.next).toBe(3);
      const rest = await store.select('acme', 'things', { equals: { color: 'red' }, after: red.next, limit: 2 });
      expect(rest.rows.map((r) => r.key)).toEqual(['d']);
      expect(rest.next).toBeUndefined();
      const ranged = await store.select('acme', 'things', { ranges: [{ column: 'size', from: 2, to: 5 }], order: 'desc', limit: 10 });
      expect(ranged.rows.map((r) => r.key)).toEqual(['d', 'c', 'b']);
      const before = await store.select('acme', 'things', { before: 3, order: 'desc', limit: 10 });
      expect(before.rows.map((r) => r.key)).toEqual(['b', 'a']);
    });

    it('refuses a query on an unknown column, a mistyped value or a page size out of range', async () => {
      await expect(store.select('acme', 'things', { equals: { 'color; drop': 'x' }, limit: 1 })).rejects.toMatchObject({
        code: 'INVALID_QUERY',
      });
      await expect(store.select('acme', 'things', { equals: { size: 'big' }, limit: 1 })).rejects.toMatchObject({ code: 'INVALID_QUERY' });
      await expect(store.select('acme', 'things', { limit: 0 })).rejects.toMatchObject({ code: 'INVALID_QUERY' });
      await expect(store.select('acme', 'things', { limit: 1001 })).rejects.toMatchObject({ code: 'INVALID_QUERY' });
      await expect(store.select('acme', 'nonesuch', { limit: 1 })).rejects.toMatchObject({ code: 'INVALID_QUERY' });
    });

    it('refuses a malformed row and writes nothing of its transaction', async () => {
      const bad = { ...thing('x', 1, 'red', 1), columns: { size: 'large' } } as unknown as ForensicsRow;
      await expect(write('acme', [thing('ok', 1, 'red', 1), bad], { timeline: 1 })).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
      expect(await store.readRows('acme', 'things', ['ok'])).toEqual([]);
      expect(await store.positions('acme')).toEqual({});
    });

    it('never shows one tenant the rows or positions of another', async () => {
      await write('acme', [thing('a', 1, 'red', 1)], { timeline: 3 });
      expect(await store.readRows('globex', 'things', ['a'])).toEqual([]);
      expect((await store.select('globex', 'things', { limit: 10 })).rows).toEqual([]);
      expect(await collect(store.dump('globex'))).toEqual([]);
      expect(await store.positions('globex')).toEqual({});
    });

    it('dumps a tenant table by table, rows in byte order of their keys', async () => {
      await write('acme', [thing('b', 1, 'red', 1), thing('B', 2, null, 2), thing('é', 3, 'x', 3), thing('a', 4, 'y', 4)]);
      await write('acme', [{ key: 'n1', ord: 1, columns: {}, doc: '{}' }], {}, 'notes');
      const dumped = await collect(store.dump('acme'));
      expect(dumped.map((d: DumpedRow) => `${d.table}/${d.row.key}`)).toEqual(['notes/n1', 'things/B', 'things/a', 'things/b', 'things/é']);
      expect(dumped[1].row).toEqual(thing('B', 2, null, 2));
    });

    it('resets one tenant, or every forensics table', async () => {
      await write('acme', [thing('a', 1, 'red', 1)], { timeline: 1 });
      await write('globex', [thing('a', 1, 'red', 1)], { timeline: 1 });
      await store.reset('acme');
      expect(await store.readRows('acme', 'things', ['a'])).toEqual([]);
      expect(await store.positions('acme')).toEqual({});
      expect(await store.positions('globex')).toEqual({ timeline: 1 });
      await store.reset();
      expect(await store.readRows('globex', 'things', ['a'])).toEqual([]);
      expect(await store.positions('globex')).toEqual({});
    });

    it('keeps forensics tables when migrated again with the same schema, and rebuilds them for a new one', async () => {
      await write('acme', [thing('a', 1, 'red', 1)], { timeline: 1 });
      await store.migrate(SCHEMA);
      expect(await store.positions('acme')).toEqual({ timeline: 1 });
      const changed: ForensicsSchema = {
        tables: [{ ...SCHEMA.tables[0], columns: [...SCHEMA.tables[0].columns, { name: 'shape', type: 'text' }] }],
      };
      await store.migrate(changed);
      expect(await store.positions('acme')).toEqual({});
      expect(await store.readRows('acme', 'things', ['a'])).toEqual([]);
      await expect(store.select('acme', 'notes', { limit: 1 })).rejects.toMatchObject({ code: 'INVALID_QUERY' });
    });

    it('lets a second connection see the schema another one migrated', async () => {
      await write('acme', [thing('a', 1, 'red', 1)], { timeline: 1 });
      const other = forensicsStoreOf(await sut.reopen());
      await other.migrate(SCHEMA);
      expect(await other.readRows('acme', 'things', ['a'])).toEqual([thing('a', 1, 'red', 1)]);
    });

    it('never lets two connections project one tenant at the same time', async () => {
      const other = forensicsStoreOf(await sut.reopen());
      await other.migrate(SCHEMA);
      let release!: () => void;
      const gate = new Promise<void>((done) => (release = done));
      let entered!: () => void;
      const inside = new Promise<void>((done) => (entered = done));
      const first = store.withTransaction('acme', async (tx) => {
        const seen = await tx.positions();
        entered();
        await gate;
        await tx.write({ upserts: [], positions: { timeline: (seen.timeline ?? 0) + 1 } });
      });
      await inside;
      const second = other.withTransaction('acme', async (tx) => {
        const seen = await tx.positions();
        await tx.write({ upserts: [], positions: { timeline: (seen.timeline ?? 0) + 1 } });
      });
      // The second either waits for the first (and sees its position) or is refused; never both on 0.
      const outcome = second.then(
        () => 'ran',
        (e: { code?: string }) => e.code,
      );
      await new Promise((done) => setTimeout(done, 50));
      release();
      await first;
      const result = await outcome;
      expect(['ran', 'STORE_CONFLICT']).toContain(result);
      expect(await store.positions('acme')).toEqual({ timeline: result === 'ran' ? 2 : 1 });
    });
  });
}
