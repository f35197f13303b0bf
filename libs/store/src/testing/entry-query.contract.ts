import { EntryQuery } from '../entry-query';
import { EntryIndex, EntryRow, LedgerStore } from '../ledger-store';
import { RowFactory } from './entry-rows';
import { StoreUnderTest } from './ledger-store.contract';

const START = Date.parse('2026-11-21T00:00:00.000Z');
const minutes = (n: number) => new Date(START + n * 60_000).toISOString();

// A small log whose attributes recur at different periods, so every filter and every
// combination selects a different, predictable set. Entry n is recorded n minutes after START.
function attributes(seq: number): Partial<EntryIndex> {
  return {
    type: seq % 3 === 0 ? 'scan.completed' : 'x.test.event',
    source: seq % 2 === 0 ? 'urn:scanner' : 'urn:gateway',
    changeid: seq % 5 === 0 ? 'github.com/acme/pay#482' : undefined,
    actorId: seq % 4 === 0 ? 'agent:claude' : seq % 4 === 1 ? 'human:alice' : undefined,
    subject: seq % 7 === 0 ? 'src/pay.ts' : undefined,
    recordedAt: minutes(seq),
  };
}

// The reference the stores are held to: a plain filter over the rows that were written.
function expected(rows: readonly EntryRow[], q: Omit<EntryQuery, 'limit'>): number[] {
  const from = q.recordedFrom === undefined ? -Infinity : Date.parse(q.recordedFrom);
  const to = q.recordedTo === undefined ? Infinity : Date.parse(q.recordedTo);
  return rows
    .filter((r) => {
      const x = r.index;
      const at = Date.parse(x.recordedAt);
      return (
        (q.type === undefined || x.type === q.type) &&
        (q.source === undefined || x.source === q.source) &&
        (q.changeid === undefined || x.changeid === q.changeid) &&
        (q.actorId === undefined || x.actorId === q.actorId) &&
        (q.subject === undefined || x.subject === q.subject) &&
        at >= from &&
        at < to &&
        (q.after === undefined || r.sequence > q.after) &&
        (q.before === undefined || r.sequence < q.before)
      );
    })
    .map((r) => r.sequence);
}

// The entry listing (`queryEntries`) every LedgerStore adapter must serve. Run it from each
// adapter's `*.int-spec.ts` against a real database.
export function describeEntryQueryContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name} entry queries`, () => {
    const SIZE = 60;
    let sut: StoreUnderTest;
    let store: LedgerStore;
    let rows: EntryRow[];
    beforeEach(async () => {
      sut = await open();
      store = sut.store;
      rows = await append('acme', SIZE);
      await append('globex', SIZE);
    });
    afterEach(async () => sut.cleanup());

    async function append(tenant: string, count: number): Promise<EntryRow[]> {
      const f = new RowFactory(tenant);
      const written = f.rows(count, { index: attributes });
      await store.withAppendSession(tenant, (s) => s.append(written, f.checkpoint(), f.head));
      return written;
    }

    const sequences = async (tenant: string, query: EntryQuery) => (await store.queryEntries(tenant, query)).entries.map((e) => e.sequence);

    // Follows `next` until the end, checking each page's size on the way.
    async function allPages(query: EntryQuery): Promise<number[][]> {
      const pages: number[][] = [];
      for (let cursor: number | undefined, i = 0; i < 100; i++) {
        const position = query.order === 'desc' ? { before: cursor } : { after: cursor };
        const page = await store.queryEntries('acme', { ...query, ...position });
        expect(page.entries.length).toBeLessThanOrEqual(query.limit);
        pages.push(page.entries.map((e) => e.sequence));
        if (page.next === undefined) return pages;
        expect(page.next).toBe(page.entries[page.entries.length - 1].sequence);
        cursor = page.next;
      }
      throw new Error('paging never ended');
    }

    it('lists a whole log in sequence order, with the exact stored bytes', async () => {
      const page = await store.queryEntries('acme', { limit: 1000 });
      expect(page.next).toBeUndefined();
      expect(page.entries.map((e) => e.sequence)).toEqual(rows.map((r) => r.sequence));
      page.entries.forEach((e, i) => {
        expect(e.id).toBe(rows[i].id);
        expect(e.canonical.equals(rows[i].canonical)).toBe(true);
        expect(e.leafHash.equals(rows[i].leafHash)).toBe(true);
        expect(e.chainHash.equals(rows[i].chainHash)).toBe(true);
      });
    });

    it.each<[string, Omit<EntryQuery, 'limit'>]>([
      ['type', { type: 'scan.completed' }],
      ['source', { source: 'urn:gateway' }],
      ['changeid', { changeid: 'github.com/acme/pay#482' }],
      ['actorId', { actorId: 'human:alice' }],
      ['subject', { subject: 'src/pay.ts' }],
      ['type and actor together', { type: 'scan.completed', actorId: 'agent:claude' }],
      [
        'every attribute at once',
        {
          type: 'scan.completed',
          source: 'urn:scanner',
          changeid: 'github.com/acme/pay#482',
          actorId: 'agent:claude',
          subject: 'src/pay.ts',
        },
      ],
    ])('filters by %s, matching exactly', async (_what, filter) => {
      const want = expected(rows, filter);
      expect(want.length).toBeGreaterThan(0);
      expect(await sequences('acme', { ...filter, limit: 1000 })).toEqual(want);
    });

    it('matches attribute values exactly, not by case or prefix', async () => {
      expect(await sequences('acme', { type: 'Scan.Completed', limit: 10 })).toEqual([]);
      expect(await sequences('acme', { type: 'scan', limit: 10 })).toEqual([]);
      expect(await sequences('acme', { actorId: 'agent:claude ', limit: 10 })).toEqual([]);
    });

    it('pages forward through `after` until `next` is undefined, skipping and repeating nothing', async () => {
      const pages = await allPages({ type: 'x.test.event', limit: 7 });
      expect(pages.flat()).toEqual(expected(rows, { type: 'x.test.event' }));
      expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    });

    it('ends without an empty page when the matches fill the last page exactly', async () => {
      const want = expected(rows, { type: 'scan.completed' }); // 20 entries
      const pages = await allPages({ type: 'scan.completed', limit: want.length / 4 });
      expect(pages).toHaveLength(4);
      expect(pages.flat()).toEqual(want);
    });

    it('pages backwards through `before` when the order is desc', async () => {
      const pages = await allPages({ source: 'urn:scanner', order: 'desc', limit: 4 });
      expect(pages[0][0]).toBe(58);
      expect(pages.flat()).toEqual(expected(rows, { source: 'urn:scanner' }).reverse());
    });

    it('applies both cursors as exclusive bounds on the sequence', async () => {
      expect(await sequences('acme', { after: 10, before: 15, limit: 100 })).toEqual([11, 12, 13, 14]);
      expect(await sequences('acme', { after: 10, before: 15, order: 'desc', limit: 100 })).toEqual([14, 13, 12, 11]);
      expect(await sequences('acme', { after: SIZE - 1, limit: 100 })).toEqual([]);
      expect(await sequences('acme', { before: 0, order: 'desc', limit: 100 })).toEqual([]);
    });

    it('bounds recordedAt from inclusive to exclusive, whatever offset the bounds use', async () => {
      expect(await sequences('acme', { recordedFrom: minutes(5), recordedTo: minutes(10), limit: 100 })).toEqual([5, 6, 7, 8, 9]);
      // 00:05Z and 00:10Z written with +02:00 and -01:30 offsets.
      expect(
        await sequences('acme', { recordedFrom: '2026-11-21T02:05:00+02:00', recordedTo: '2026-11-20T22:40:00-01:30', limit: 100 }),
      ).toEqual([5, 6, 7, 8, 9]);
      expect(await sequences('acme', { recordedFrom: minutes(SIZE - 2), limit: 100 })).toEqual([SIZE - 2, SIZE - 1]);
      expect(await sequences('acme', { recordedTo: minutes(2), limit: 100 })).toEqual([0, 1]);
      expect(await sequences('acme', { recordedFrom: minutes(10), recordedTo: minutes(10), limit: 100 })).toEqual([]);
    });

    it('compares time bounds finer than a millisecond as instants', async () => {
      // Entry 5 is recorded at 00:05:00.000Z exactly, entry 10 at 00:10:00.000Z.
      const range = { recordedFrom: '2026-11-21T00:05:00.000001Z', recordedTo: '2026-11-21T00:10:00.000001Z', limit: 100 };
      expect(await sequences('acme', range)).toEqual([6, 7, 8, 9, 10]);
      expect(
        await sequences('acme', { ...range, recordedFrom: '2026-11-21T00:04:59.999999Z', recordedTo: '2026-11-21T00:10:00Z' }),
      ).toEqual([5, 6, 7, 8, 9]);
    });

    it('combines time bounds, filters and cursor', async () => {
      const query = { source: 'urn:scanner', recordedFrom: minutes(10), recordedTo: minutes(40), after: 20, limit: 5 };
      const page = await store.queryEntries('acme', query);
      expect(page.entries.map((e) => e.sequence)).toEqual([22, 24, 26, 28, 30]);
      expect(page.next).toBe(30);
      const rest = await store.queryEntries('acme', { ...query, after: page.next });
      expect(rest.entries.map((e) => e.sequence)).toEqual([32, 34, 36, 38]);
      expect(rest.next).toBeUndefined();
    });

    it("never returns another tenant's entries", async () => {
      const acme = await store.queryEntries('acme', { type: 'scan.completed', limit: 1000 });
      const globex = await store.queryEntries('globex', { type: 'scan.completed', limit: 1000 });
      expect(globex.entries.map((e) => e.sequence)).toEqual(acme.entries.map((e) => e.sequence));
      expect(globex.entries.some((g, i) => g.id === acme.entries[i].id || g.canonical.equals(acme.entries[i].canonical))).toBe(false);
      expect(await store.queryEntries('nobody', { limit: 10 })).toEqual({ entries: [] });
    });

    it.each<[string, Partial<EntryQuery>]>([
      ['a limit of 0', { limit: 0 }],
      ['a limit above 1000', { limit: 1001 }],
      ['a fractional limit', { limit: 2.5 }],
      ['a negative cursor', { after: -1 }],
      ['a fractional cursor', { before: 1.5 }],
      ['an unknown order', { order: 'up' as 'asc' }],
      ['a bound that is not a date-time', { recordedFrom: 'yesterday' }],
      ['a bound without a time zone', { recordedTo: '2026-11-21T00:00:00' }],
      ['a bound naming no real day', { recordedFrom: '2026-02-30T00:00:00Z' }],
      ['a filter that is not a string', { type: 42 as unknown as string }],
    ])('refuses %s as INVALID_QUERY', async (_what, bad) => {
      await expect(store.queryEntries('acme', { limit: 10, ...bad })).rejects.toMatchObject({ code: 'INVALID_QUERY' });
    });

    it('serves pages of up to 1000 entries', async () => {
      const more = new RowFactory('big');
      await store.withAppendSession('big', (s) => s.append(more.rows(1001), more.checkpoint(), more.head));
      const first = await store.queryEntries('big', { limit: 1000 });
      expect(first.entries).toHaveLength(1000);
      expect(first.next).toBe(999);
      expect((await store.queryEntries('big', { limit: 1000, after: first.next })).entries.map((e) => e.sequence)).toEqual([1000]);
    });
  });
}
