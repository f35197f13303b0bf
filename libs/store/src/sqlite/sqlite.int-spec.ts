import { closeSync, copyFileSync, fstatSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeCredentialStoreContract } from '../testing/credential-store.contract';
import { describeEntryQueryContract } from '../testing/entry-query.contract';
import { describeLedgerStoreContract, StoreUnderTest } from '../testing/ledger-store.contract';
import { EntryRow, LogHead, StoredCheckpoint, StoredEntry } from '../ledger-store';
import { RowFactory } from '../testing/entry-rows';
import { SqliteLedgerStore } from './sqlite-ledger-store';

// A fresh database file per test.
async function openFreshStore(): Promise<StoreUnderTest<SqliteLedgerStore>> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
  const file = join(dir, 'ledger.db');
  const store = await SqliteLedgerStore.open(file);
  await store.migrate();
  const opened = [store];
  return {
    store,
    reopen: async () => {
      const other = await SqliteLedgerStore.open(file);
      await other.migrate();
      opened.push(other);
      return other;
    },
    cleanup: async () => {
      for (const s of opened) await s.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeLedgerStoreContract('SQLite', openFreshStore);
describeEntryQueryContract('SQLite', openFreshStore);
describeCredentialStoreContract('SQLite', openFreshStore);

describe('SQLite store', () => {
  it('creates the database, its WAL and shared-memory files readable by their owner only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
    const file = join(dir, 'data', 'ledger.db');
    const umask = process.umask(0o022);
    const store = await SqliteLedgerStore.open(file);
    try {
      await store.migrate();
      await store.createTenant('acme');
      for (const path of [file, `${file}-wal`, `${file}-shm`]) expect([path, statSync(path).mode & 0o777]).toEqual([path, 0o600]);
      expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
    } finally {
      process.umask(umask);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a file it cannot open as unavailable', async () => {
    await expect(SqliteLedgerStore.open('/etc/hostname/not-a-directory/ledger.db')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  it('reports a file that is not a database as corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
    const file = join(dir, 'not-a-db');
    require('node:fs').writeFileSync(file, 'this is not sqlite'.repeat(100));
    try {
      const store = await SqliteLedgerStore.open(file).then(async (s) => {
        await s.migrate();
        return s;
      });
      await store.close();
      throw new Error('opened a file that is not a database');
    } catch (e) {
      expect(e).toMatchObject({ code: 'STORE_CORRUPT' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite long reads on a reader thread', () => {
  let dir: string;
  let file: string;
  const rows = new RowFactory('acme').rows(3456, { index: (seq) => ({ subject: `s-${seq}` }) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-'));
    file = join(dir, 'ledger.db');
    const store = await SqliteLedgerStore.open(file);
    await store.migrate();
    await store.withAppendSession('acme', (s) => s.append(rows, checkpointOf(rows), headOf(rows)));
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const collect = async (store: SqliteLedgerStore, from: number, to?: number) => {
    const out = [];
    for await (const e of store.readEntries('acme', from, to)) out.push(e);
    return out;
  };

  it('yields exactly what page-by-page reads on the calling thread yield', async () => {
    const ahead = await SqliteLedgerStore.open(file);
    const inline = await SqliteLedgerStore.open(file, { readAhead: false });
    try {
      for (const [from, to] of [
        [0, undefined],
        [17, 3001],
        [999, 2001],
        [3000, undefined],
      ] as const) {
        const a = await collect(ahead, from, to);
        const b = await collect(inline, from, to);
        expect(a.length).toBe((to ?? rows.length) - from);
        expect(a.map(fingerprint)).toEqual(b.map(fingerprint));
      }
      const all = await collect(ahead, 0);
      expect(all.map((e) => e.sequence)).toEqual(rows.map((r) => r.sequence));
      expect(all.every((e, i) => e.canonical.equals(rows[i].canonical) && e.nodes.equals(rows[i].nodes) && e.id === rows[i].id)).toBe(true);
    } finally {
      await ahead.close();
      await inline.close();
    }
  });

  it('stops the reader when the consumer leaves early, and reads again afterwards', async () => {
    const store = await SqliteLedgerStore.open(file);
    try {
      let seen = 0;
      for await (const e of store.readEntries('acme', 0)) {
        if (e.sequence === 2500) break;
        seen++;
      }
      expect(seen).toBe(2500);
      expect(await collect(store, 2400)).toHaveLength(rows.length - 2400);
    } finally {
      await store.close();
    }
  });

  it('reports a database damaged under the reader as a store error', async () => {
    const copy = join(dir, 'damaged.db');
    copyFileSync(file, copy);
    const store = await SqliteLedgerStore.open(copy);
    try {
      const reading = store.readEntries('acme', 0)[Symbol.asyncIterator]();
      await reading.next(); // the first page comes from the calling thread
      const fd = openSync(copy, 'r+');
      const size = fstatSync(fd).size;
      writeSync(fd, Buffer.alloc(size - 8192, 0xff), 0, size - 8192, 4096);
      closeSync(fd);
      let failure: unknown;
      try {
        for (let r = await reading.next(); !r.done; r = await reading.next());
      } catch (e) {
        failure = e;
      }
      expect(failure).toMatchObject({ name: 'StoreError' });
    } finally {
      await store.close().catch(() => undefined);
    }
  });
});

// Every field of an entry in one string (Jest compares long Buffers byte by byte, slowly).
const fingerprint = (e: StoredEntry) =>
  [e.sequence, e.id, e.canonical.toString('base64'), e.leafHash.toString('hex'), e.chainHash.toString('hex'), e.nodes.toString('hex')].join(
    '|',
  );

function headOf(rows: readonly EntryRow[]): LogHead {
  const last = rows[rows.length - 1];
  return { treeSize: last.sequence + 1, chainHash: last.chainHash };
}

function checkpointOf(rows: readonly EntryRow[]): StoredCheckpoint {
  return { treeSize: rows.length, rootHash: Buffer.alloc(32), note: 'test checkpoint\n' };
}
