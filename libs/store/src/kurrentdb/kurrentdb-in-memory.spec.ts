import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../open-store';
import { describeCredentialStoreContract } from '../testing/credential-store.contract';
import { describeEntryQueryContract } from '../testing/entry-query.contract';
import { describeLedgerStoreContract, StoreUnderTest } from '../testing/ledger-store.contract';
import { describeForensicsStoreContract } from '../testing/forensics-store.contract';
import { describePackJobStoreContract } from '../testing/pack-job-store.contract';
import { RowFactory } from '../testing/entry-rows';
import { AppendSession, StoredEntry } from '../ledger-store';
import { KurrentDbLedgerStore } from './kurrentdb-ledger-store';
import { InMemoryKurrentDb } from './testing/in-memory-kurrentdb';

// The adapter over an in-memory model of the client (testing/in-memory-kurrentdb.ts): the
// same contract suites as every store, plus what is particular to KurrentDB. This checks the
// adapter's own logic; kurrentdb.int-spec.ts runs the suites against a real server.

interface Fixture {
  server: InMemoryKurrentDb;
  open(options?: { maxAppendAttempts?: number }): Promise<KurrentDbLedgerStore>;
  cleanup(): Promise<void>;
}

function fixture(): Fixture {
  const server = new InMemoryKurrentDb();
  const dir = mkdtempSync(join(tmpdir(), 'ledger-kurrentdb-'));
  const location = `kurrentdb://admin:changeit@localhost:2113?tls=false&credentialStore=sqlite:${join(dir, 'credentials.db')}`;
  const opened: KurrentDbLedgerStore[] = [];
  return {
    server,
    open: async (options = {}) => {
      const store = await KurrentDbLedgerStore.open(location, {
        openCredentialStore: openStore,
        connect: async () => server.connect(),
        ...options,
      });
      opened.push(store);
      await store.migrate();
      return store;
    },
    cleanup: async () => {
      for (const s of opened) await s.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openFreshStore(): Promise<StoreUnderTest<KurrentDbLedgerStore>> {
  const f = fixture();
  return { store: await f.open(), reopen: () => f.open(), cleanup: f.cleanup };
}

describeLedgerStoreContract('KurrentDB (in-memory model)', openFreshStore);
describeEntryQueryContract('KurrentDB (in-memory model)', openFreshStore);
describeCredentialStoreContract('KurrentDB (in-memory model)', openFreshStore);
describeForensicsStoreContract('KurrentDB (in-memory model)', openFreshStore);
describePackJobStoreContract('KurrentDB (in-memory model)', openFreshStore);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function appendRows(store: KurrentDbLedgerStore, f: RowFactory, count: number, tenant = 'acme') {
  const rows = f.rows(count);
  await store.withAppendSession(tenant, (s) => s.append(rows, f.checkpoint(), f.head));
  return rows;
}

describe('KurrentDB store layout', () => {
  let f: Fixture;
  let store: KurrentDbLedgerStore;
  beforeEach(async () => {
    f = fixture();
    store = await f.open();
  });
  afterEach(() => f.cleanup());

  it('keeps each tenant log in its own stream, entry n at revision n, the bytes verbatim as binary data', async () => {
    const rows = await appendRows(store, new RowFactory('acme'), 3);
    await appendRows(store, new RowFactory('globex'), 1, 'globex');
    expect(f.server.streamNames()).toEqual(['ledger-acme', 'ledger-globex', 'ledger.tenants']);
    const events = f.server.events('ledger-acme');
    expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
    events.forEach((e, i) => {
      expect(e.isJson).toBe(false);
      expect(e.type).toBe(rows[i].index.type);
      expect(e.id).not.toBe(rows[i].id); // KurrentDB's event id is per append attempt; the producer's id is metadata
      expect(Buffer.from(e.data as Uint8Array).equals(rows[i].canonical)).toBe(true);
      expect(e.metadata).toMatchObject({ ledger: '1', id: rows[i].id, chainHash: rows[i].chainHash.toString('base64') });
    });
  });

  it('writes a batch as one append whose last event carries the checkpoint', async () => {
    const f1 = new RowFactory();
    await appendRows(store, f1, 4);
    const calls = f.server.appendCalls;
    await appendRows(store, f1, 3);
    expect(f.server.appendCalls - calls).toBe(1);
    const withCheckpoint = f.server
      .events('ledger-acme')
      .flatMap((e) => ((e.metadata as Record<string, string>).checkpointNote ? [e.revision] : []));
    expect(withCheckpoint).toEqual([3n, 6n]);
  });

  it('takes the stream names from the prefix in the location, so deployments can share a server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-kurrentdb-'));
    const other = await KurrentDbLedgerStore.open(
      `kurrentdb://localhost?streamPrefix=staging&credentialStore=sqlite:${join(dir, 'c.db')}`,
      {
        openCredentialStore: openStore,
        connect: async () => f.server.connect(),
      },
    );
    try {
      await appendRows(other, new RowFactory(), 2);
      expect(f.server.streamNames()).toEqual(['staging-acme', 'staging.tenants']);
      expect((await store.head('acme')).treeSize).toBe(0);
      expect(other.location).toBe(`kurrentdb://localhost?credentialStore=sqlite:${join(dir, 'c.db')}&streamPrefix=staging`);
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names its location without passwords', () => {
    expect(store.kind).toBe('kurrentdb');
    expect(store.location).toMatch(/^kurrentdb:\/\/admin:\*\*\*@localhost:2113\?tls=false&credentialStore=sqlite:/);
  });

  it('refuses a tenant name that could not be a ledger tenant before touching the server', async () => {
    for (const bad of ['$all', 'Acme', 'a.b', '', 'x'.repeat(64)]) {
      await expect(store.head(bad)).rejects.toThrow(RangeError);
      await expect(store.withAppendSession(bad, async () => undefined)).rejects.toThrow(RangeError);
    }
    expect(f.server.appendCalls).toBe(0);
  });
});

describe('KurrentDB appends racing other instances', () => {
  let f: Fixture;
  beforeEach(() => (f = fixture()));
  afterEach(() => f.cleanup());

  it('runs a session that lost the race again on the new head, so both batches land on one chain', async () => {
    const [a, b] = [await f.open(), await f.open()];
    const heads: number[] = [];
    // b's first append is held until a has appended: b read the head before a moved it.
    let releaseB: () => void = () => undefined;
    const bHeld = new Promise<void>((resolve) => (releaseB = resolve));
    f.server.beforeAppend = async () => {
      if (heads.length === 1) await bHeld;
    };
    const appendTen = (store: KurrentDbLedgerStore) =>
      store.withAppendSession('acme', async (s) => {
        const head = await s.head();
        heads.push(head.treeSize);
        const rows = new RowFactory();
        rows.rows(head.treeSize);
        await s.append(rows.rows(10), rows.checkpoint(), rows.head);
        return head.treeSize;
      });
    const bDone = appendTen(b);
    while (heads.length === 0) await new Promise((r) => setImmediate(r));
    f.server.beforeAppend = undefined;
    const aDone = appendTen(a);
    await aDone;
    releaseB();
    expect([await aDone, await bDone].sort()).toEqual([0, 10]);
    expect(heads).toEqual([0, 0, 10]); // b ran twice
    expect((await a.head('acme')).treeSize).toBe(20);
    const verified = new RowFactory();
    verified.rows(20);
    expect((await a.head('acme')).chainHash.equals(verified.head.chainHash)).toBe(true);
  });

  it('reports STORE_CONFLICT once the race is lost as often as it may be, having written nothing of its own', async () => {
    const [store, rival] = [await f.open({ maxAppendAttempts: 3 }), await f.open()];
    const rivalRows = new RowFactory();
    let runs = 0;
    // Before each of the store's appends, the rival appends one entry.
    f.server.beforeAppend = async (stream) => {
      if (stream !== 'ledger-acme' || f.server.beforeAppend === undefined) return;
      const hook = f.server.beforeAppend;
      f.server.beforeAppend = undefined;
      await rival.withAppendSession('acme', (s) => s.append(rivalRows.rows(1), rivalRows.checkpoint(), rivalRows.head));
      f.server.beforeAppend = hook;
    };
    const attempt = store.withAppendSession('acme', async (s) => {
      runs++;
      const head = await s.head();
      const rows = new RowFactory();
      rows.rows(head.treeSize);
      await s.append(
        rows.rows(2, { id: (seq) => `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}` }),
        rows.checkpoint(),
        rows.head,
      );
    });
    await expect(attempt).rejects.toMatchObject({ code: 'STORE_CONFLICT', name: 'StoreError' });
    f.server.beforeAppend = undefined;
    expect(runs).toBe(3);
    expect((await store.head('acme')).treeSize).toBe(3); // the rival's three entries only
  });

  it('never takes a concurrent append of the same event id with other bytes for its own', async () => {
    const [a, b] = [await f.open(), await f.open()];
    const id = '0193a0b2-7c1d-7e4f-9a2b-3c4d5e6f7a8b';
    // Both instances see an empty log and no entry with this id, and each writes it with its own
    // recordedAt — as two instances serving the same retried post would. b writes second.
    const attempt = (store: KurrentDbLedgerStore, recordedAt: string, gate?: Promise<void>) =>
      store.withAppendSession('acme', async (s) => {
        const stored = await s.findByIds([id]);
        if (stored.length > 0) return { stored: stored[0] };
        await gate;
        const rows = new RowFactory();
        rows.rows((await s.head()).treeSize);
        const row = rows.rows(1, { id: () => id, index: () => ({ recordedAt }) });
        await s.append(row, rows.checkpoint(), rows.head);
        return { wrote: row[0] };
      });
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const second = attempt(b, '2026-11-21T00:00:01.000Z', gate);
    const first = await attempt(a, '2026-11-21T00:00:00.000Z');
    open();
    const outcome = await second;
    expect(first.wrote).toBeDefined();
    // b lost the race, ran again, and found a's entry instead of believing its own was written.
    expect((outcome.stored as StoredEntry).canonical.equals(first.wrote!.canonical)).toBe(true);
    expect((await a.head('acme')).treeSize).toBe(1);
  });
});

describe('KurrentDB reads of a damaged log', () => {
  let f: Fixture;
  let store: KurrentDbLedgerStore;
  beforeEach(async () => {
    f = fixture();
    store = await f.open();
    await appendRows(store, new RowFactory(), 4);
  });
  afterEach(() => f.cleanup());

  it('reports an entry whose metadata was altered as STORE_CORRUPT', async () => {
    const events = f.server.events('ledger-acme');
    events[2] = { ...events[2], metadata: { ...(events[2].metadata as object), leafHash: 'not base64!' } };
    await expect(store.getEntry('acme', 2)).rejects.toMatchObject({ code: 'STORE_CORRUPT', details: { sequence: 2 } });
    await expect(collect(store.readEntries('acme', 0))).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('reports an event written by something else into a log stream as STORE_CORRUPT', async () => {
    await f.server.append('ledger-acme', [
      {
        id: '3f1c0a55-0c2e-4d55-9a43-2f1f0a9b7c11',
        contentType: 'application/json',
        type: 'x.test.event',
        data: { hi: 1 },
        metadata: undefined,
      },
    ]);
    await expect(store.head('acme')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('reports events removed from the start of a log as STORE_CORRUPT, not as a shorter log', async () => {
    f.server.events('ledger-acme').splice(0, 2);
    await expect(store.getEntry('acme', 0)).rejects.toMatchObject({ code: 'STORE_CORRUPT', details: { sequence: 0 } });
    await expect(collect(store.readEntries('acme', 0))).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect((await store.getEntry('acme', 3))?.sequence).toBe(3);
  });
});

describe('KurrentDB catch-up subscription', () => {
  let f: Fixture;
  let store: KurrentDbLedgerStore;
  beforeEach(async () => {
    f = fixture();
    store = await f.open();
  });
  afterEach(() => f.cleanup());

  it('delivers the stored entries from a sequence on, then each new one as it is committed', async () => {
    const rows = new RowFactory();
    await appendRows(store, rows, 5);
    const seen: number[] = [];
    const following = (async () => {
      for await (const e of store.subscribeEntries('acme', 3)) {
        seen.push(e.sequence);
        if (e.sequence === 7) break;
      }
    })();
    while (seen.length < 2) await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([3, 4]);
    await appendRows(store, rows, 3);
    await following;
    expect(seen).toEqual([3, 4, 5, 6, 7]);
  });

  it('waits for a log that has no entries yet', async () => {
    const first = (async () => {
      for await (const e of store.subscribeEntries('newco')) return e;
    })();
    await new Promise((r) => setTimeout(r, 10));
    const [row] = await appendRows(store, new RowFactory('newco'), 1, 'newco');
    expect((await first)?.id).toBe(row.id);
  });
});

describe('KurrentDB store errors', () => {
  let f: Fixture;
  beforeEach(() => (f = fixture()));
  afterEach(() => f.cleanup());

  it('reports a server it cannot reach as unavailable when opening', async () => {
    f.server.failure = 'unavailable';
    await expect(f.open()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', details: { kurrentdb: 'unavailable' } });
  });

  it('says a refused login is about access, without repeating the password', async () => {
    f.server.failure = 'access-denied';
    const error = await f.open().catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/access denied/);
    expect((error as Error).message).not.toContain('changeit');
  });

  it('refuses a location without a credential store', async () => {
    await expect(KurrentDbLedgerStore.open('kurrentdb://localhost:2113?tls=false', { openCredentialStore: openStore })).rejects.toThrow(
      /credentialStore=/,
    );
  });

  it('keeps a session that only read from writing anything', async () => {
    const store = await f.open();
    const session = await store.withAppendSession('acme', async (s: AppendSession) => {
      await s.head();
      await s.findByIds(['00000000-0000-7000-8000-000000000000']);
      return s;
    });
    expect(f.server.appendCalls).toBe(0);
    await expect(session.head()).rejects.toThrow('after its work ended');
  });
});
