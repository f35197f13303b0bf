import { GENESIS_CHAIN_HASH, inclusionProofNodes, buildInclusionProof, verifyInclusion } from '@evidence-ledger/core';
import { LedgerStore, nodeKey, StoredEntry } from '../ledger-store';
import { RowFactory } from './entry-rows';

export interface StoreUnderTest<S extends LedgerStore = LedgerStore> {
  store: S;
  /** Opens a second, independent connection to the same database. */
  reopen(): Promise<S>;
  cleanup(): Promise<void>;
}

/**
 * A store under test from a way to open connections to one fresh database: every connection
 * opened (the first and each reopen) is closed on cleanup, then `dispose` removes the database.
 */
export async function storeUnderTest<S extends LedgerStore>(connect: () => Promise<S>, dispose: () => unknown): Promise<StoreUnderTest<S>> {
  const opened: S[] = [];
  const open = async () => {
    const store = await connect();
    opened.push(store);
    return store;
  };
  return {
    store: await open(),
    reopen: open,
    cleanup: async () => {
      for (const s of opened) await s.close().catch(() => undefined);
      await dispose();
    },
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

// The behaviour every LedgerStore adapter must show. Run it from each adapter's
// `*.int-spec.ts` against a real database.
export function describeLedgerStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name} LedgerStore contract`, () => {
    let sut: StoreUnderTest;
    let store: LedgerStore;
    beforeEach(async () => {
      sut = await open();
      store = sut.store;
    });
    afterEach(async () => sut.cleanup());

    async function appendRows(tenant: string, factory: RowFactory, count: number) {
      const rows = factory.rows(count);
      await store.withAppendSession(tenant, (s) => s.append(rows, factory.checkpoint(), factory.head));
      return rows;
    }

    it('starts every tenant with an empty log at the genesis chain hash', async () => {
      const head = await store.head('nobody');
      expect(head.treeSize).toBe(0);
      expect(head.chainHash.equals(GENESIS_CHAIN_HASH)).toBe(true);
      expect(await store.latestCheckpoint('nobody')).toBeUndefined();
    });

    it('returns the exact bytes and hashes it was given', async () => {
      const f = new RowFactory();
      const rows = await appendRows('acme', f, 5);
      const got = await store.getEntry('acme', 3);
      expect(got?.canonical.equals(rows[3].canonical)).toBe(true);
      expect(got?.leafHash.equals(rows[3].leafHash)).toBe(true);
      expect(got?.chainHash.equals(rows[3].chainHash)).toBe(true);
      expect(got?.id).toBe(rows[3].id);
      expect(await store.getEntry('acme', 5)).toBeUndefined();
    });

    it('advances the head and keeps one checkpoint per batch', async () => {
      const f = new RowFactory();
      await appendRows('acme', f, 3);
      const first = f.checkpoint();
      await appendRows('acme', f, 4);
      const head = await store.head('acme');
      expect(head.treeSize).toBe(7);
      expect(head.chainHash.equals(f.head.chainHash)).toBe(true);
      expect((await store.latestCheckpoint('acme'))?.treeSize).toBe(7);
      expect((await store.checkpointAt('acme', 3))?.note).toBe(first.note);
      expect((await store.checkpointAt('acme', 3))?.rootHash.equals(first.rootHash)).toBe(true);
      expect((await collect(store.readCheckpoints('acme'))).map((c) => c.treeSize)).toEqual([3, 7]);
      expect((await collect(store.readCheckpoints('acme', 3))).map((c) => c.treeSize)).toEqual([7]);
    });

    it('writes nothing when the work inside a session throws', async () => {
      const f = new RowFactory();
      await expect(
        store.withAppendSession('acme', async (s) => {
          await s.append(f.rows(3), f.checkpoint(), f.head);
          throw new Error('abandon');
        }),
      ).rejects.toThrow('abandon');
      expect((await store.head('acme')).treeSize).toBe(0);
      expect(await store.getEntry('acme', 0)).toBeUndefined();
      expect(await store.latestCheckpoint('acme')).toBeUndefined();
    });

    it('refuses rows that do not continue the head, writing nothing', async () => {
      const f = new RowFactory();
      await appendRows('acme', f, 2);
      const gap = new RowFactory();
      gap.rows(5);
      const rows = gap.rows(1);
      await expect(store.withAppendSession('acme', (s) => s.append(rows, gap.checkpoint(), gap.head))).rejects.toMatchObject({
        code: 'STORE_CONFLICT',
      });
      expect((await store.head('acme')).treeSize).toBe(2);
    });

    it('refuses a second entry with the same event id in a log, writing nothing', async () => {
      const f = new RowFactory();
      const [first] = await appendRows('acme', f, 1);
      const dup = f.rows(2, { id: () => first.id });
      await expect(store.withAppendSession('acme', (s) => s.append(dup.slice(0, 1), f.checkpoint(), f.head))).rejects.toMatchObject({
        code: 'STORE_CONFLICT',
      });
      expect((await store.head('acme')).treeSize).toBe(1);
    });

    it('finds entries by event id within one tenant only', async () => {
      const a = new RowFactory('acme');
      const rows = await appendRows('acme', a, 4);
      const found = await store.findByIds('acme', [rows[1].id, rows[3].id, '00000000-0000-7000-8000-000000000000']);
      expect(found.map((e) => e.sequence).sort()).toEqual([1, 3]);
      expect(await store.findByIds('globex', [rows[1].id])).toEqual([]);
      const inSession = await store.withAppendSession('acme', (s) => s.findByIds([rows[2].id]));
      expect(inSession.map((e) => [e.sequence, e.canonical.equals(rows[2].canonical)])).toEqual([[2, true]]);
    });

    it('answers id lookups the same when the ids were announced with the lock', async () => {
      const rows = await appendRows('acme', new RowFactory('acme'), 4);
      const absent = '00000000-0000-7000-8000-000000000000';
      const announced = [rows[0].id, rows[3].id.toUpperCase(), absent, 'not-a-uuid'];
      const lookups = await store.withAppendSession(
        'acme',
        async (s) => [await s.findByIds([rows[3].id]), await s.findByIds([absent]), await s.findByIds([rows[1].id, rows[0].id])],
        { ids: announced },
      );
      expect(lookups.map((found) => found.map((e) => e.sequence).sort())).toEqual([[3], [], [0, 1]]);
      const fresh = await store.withAppendSession('newco', (s) => s.findByIds([rows[0].id]), { ids: [rows[0].id] });
      expect(fresh).toEqual([]);
    });

    it('keeps tenants in separate logs', async () => {
      await appendRows('acme', new RowFactory('acme'), 3);
      await appendRows('globex', new RowFactory('globex'), 2);
      expect((await store.head('acme')).treeSize).toBe(3);
      expect((await store.head('globex')).treeSize).toBe(2);
      expect((await store.tenants()).sort()).toEqual(['acme', 'globex']);
      expect(await store.getEntry('globex', 2)).toBeUndefined();
    });

    it('streams a range of entries in order across pages', async () => {
      const f = new RowFactory();
      await appendRows('acme', f, 1200);
      await appendRows('acme', f, 1300);
      const all = await collect(store.readEntries('acme', 0));
      expect(all.map((e: StoredEntry) => e.sequence)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
      const part = await collect(store.readEntries('acme', 1000, 1003));
      expect(part.map((e) => e.sequence)).toEqual([1000, 1001, 1002]);
    });

    it('serves the Merkle nodes that proofs are built from', async () => {
      const f = new RowFactory();
      const rows = await appendRows('acme', f, 37);
      const refs = inclusionProofNodes(11, 37);
      const nodes = await store.readNodes('acme', refs);
      const proof = buildInclusionProof(11, 37, (n) => nodes.get(nodeKey(n))!);
      expect(verifyInclusion(proof, rows[11].canonical, f.root())).toBe(true);
    });

    it('reports a node it does not hold as corruption', async () => {
      await appendRows('acme', new RowFactory(), 3);
      await expect(store.readNodes('acme', [{ level: 2, index: 0 }])).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    });

    it('serializes appenders of one tenant across connections', async () => {
      const other = await sut.reopen();
      try {
        const results = await Promise.all(
          [store, other, store, other].map((s) =>
            s.withAppendSession('acme', async (session) => {
              const head = await session.head();
              const f = new RowFactory();
              f.rows(head.treeSize); // replay to the head, then continue it
              const rows = f.rows(10);
              await session.append(rows, f.checkpoint(), f.head);
              return head.treeSize;
            }),
          ),
        );
        expect(results.sort((a, b) => a - b)).toEqual([0, 10, 20, 30]);
        expect((await store.head('acme')).treeSize).toBe(40);
      } finally {
        await other.close();
      }
    });

    it('can be migrated again without harm', async () => {
      await appendRows('acme', new RowFactory(), 2);
      await store.migrate();
      expect((await store.head('acme')).treeSize).toBe(2);
    });
  });
}
