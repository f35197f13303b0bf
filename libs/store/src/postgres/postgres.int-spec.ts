import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { StoredEntry } from '../ledger-store';
import { RowFactory, uuidFor } from '../testing/entry-rows';
import { describeCredentialStoreContract } from '../testing/credential-store.contract';
import { describeEntryQueryContract } from '../testing/entry-query.contract';
import { describeLedgerStoreContract, StoreUnderTest } from '../testing/ledger-store.contract';
import { POSTGRES_MIGRATIONS } from './migrations';
import { PostgresLedgerStore } from './postgres-ledger-store';

// A real server is required: when it is unreachable these tests fail, they never skip.
const SERVER = process.env.LEDGER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const freshSchema = () => `t_${randomBytes(6).toString('hex')}`;

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const dropSchema = (schema: string) => admin((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

// A fresh schema per test.
async function openFreshStore(): Promise<StoreUnderTest<PostgresLedgerStore>> {
  const schema = freshSchema();
  const opened: PostgresLedgerStore[] = [];
  const open = async () => {
    const store = await PostgresLedgerStore.open(SERVER, { schema, poolSize: 4 });
    opened.push(store);
    await store.migrate();
    return store;
  };
  const store = await open();
  return {
    store,
    reopen: open,
    cleanup: async () => {
      for (const s of opened) await s.close().catch(() => undefined);
      await dropSchema(schema);
    },
  };
}

describeLedgerStoreContract('PostgreSQL', openFreshStore);
describeEntryQueryContract('PostgreSQL', openFreshStore);
describeCredentialStoreContract('PostgreSQL', openFreshStore);

describe('PostgreSQL store', () => {
  const schemas: string[] = [];
  const stores: PostgresLedgerStore[] = [];
  async function openStore(url = SERVER, schema = freshSchema()): Promise<PostgresLedgerStore> {
    schemas.push(schema);
    const store = await PostgresLedgerStore.open(url, { schema });
    stores.push(store);
    await store.migrate();
    return store;
  }
  const lastSchema = () => schemas[schemas.length - 1];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
    for (const schema of schemas.splice(0)) await dropSchema(schema);
  });

  it('reports an unreachable server as unavailable without revealing the password', async () => {
    const error = await PostgresLedgerStore.open('postgres://postgres:s3cret-Pa55@127.0.0.1:1/test').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((error as Error).message).toContain('127.0.0.1:1');
    expect((error as Error).message).not.toContain('s3cret-Pa55');
    expect(JSON.stringify(error)).not.toContain('s3cret-Pa55');
  });

  it('names its location without the password', async () => {
    const url = new URL(SERVER);
    url.password = 'not-needed-with-trust';
    url.searchParams.set('schema', freshSchema());
    const store = await openStore(url.toString(), url.searchParams.get('schema')!);
    expect(store.kind).toBe('postgres');
    expect(store.location).not.toContain('not-needed-with-trust');
    expect(store.location).toContain(`schema=${url.searchParams.get('schema')}`);
  });

  it('takes the schema from the URL and creates it', async () => {
    const schema = freshSchema();
    const store = await openStore(`${SERVER}${SERVER.includes('?') ? '&' : '?'}schema=${schema}`, schema);
    await store.withAppendSession('acme', async (s) => {
      const f = new RowFactory();
      await s.append(f.rows(2), f.checkpoint(), f.head);
    });
    const { rows } = await admin((c) => c.query(`SELECT count(*)::int AS n FROM "${schema}".entries`));
    expect(rows[0].n).toBe(2);
  });

  it.each(['x; drop table entries', 'Public', 'a"b', 'pg_catalog', '1abc', '', 'x'.repeat(64)])(
    'refuses the schema name %j',
    async (schema) => {
      await expect(PostgresLedgerStore.open(SERVER, { schema })).rejects.toThrow(RangeError);
      await expect(PostgresLedgerStore.open(`${SERVER}?schema=${encodeURIComponent(schema)}`)).rejects.toThrow(RangeError);
    },
  );

  it('lets several processes migrate one schema at once', async () => {
    const schema = freshSchema();
    schemas.push(schema);
    const many = await Promise.all([1, 2, 3, 4].map(() => PostgresLedgerStore.open(SERVER, { schema, poolSize: 1 })));
    stores.push(...many);
    await Promise.all(many.map((s) => s.migrate()));
    const { rows } = await admin((c) => c.query(`SELECT version FROM "${schema}".schema_migrations`));
    expect(rows).toEqual(POSTGRES_MIGRATIONS.map((_, i) => ({ version: i + 1 })));
  });

  // Batches below COPY_MIN_ROWS go in by one unnest INSERT, larger ones by binary COPY.
  describe.each([
    ['one unnest INSERT', 10],
    ['binary COPY', 1000],
  ])('a batch written by %s', (_path, size) => {
    it(`round-trips ${size} rows byte for byte, index columns included`, async () => {
      const store = await openStore();
      const f = new RowFactory();
      const awkward = 'a "quoted", {braced} \\back\\slash\ttab\nline NULL ünïcödé 🚀';
      const rows = f.rows(size).map((r, i) => ({
        ...r,
        // Every byte value, including NUL and backslash, must survive the trip.
        canonical: i % 2 === 0 ? randomBytes(1 + (i % 700)) : r.canonical,
        index: {
          ...r.index,
          subject: i % 3 === 0 ? awkward : undefined,
          changeid: i % 5 === 0 ? 'NULL' : undefined,
          actorId: 'agent:"x"',
          time: '2026-11-20T23:59:59.123456+02:00',
        },
      }));
      await store.withAppendSession('acme', (s) => s.append(rows, f.checkpoint(), f.head));

      const back: StoredEntry[] = await collect(store.readEntries('acme', 0));
      expect(back).toHaveLength(size);
      back.forEach((e, i) => {
        expect(e.sequence).toBe(i);
        expect(e.id).toBe(rows[i].id);
        expect(e.canonical.equals(rows[i].canonical)).toBe(true);
        expect(e.leafHash.equals(rows[i].leafHash)).toBe(true);
        expect(e.chainHash.equals(rows[i].chainHash)).toBe(true);
        expect(e.nodes.equals(rows[i].nodes)).toBe(true);
      });
      const index = await admin((c) =>
        c.query(
          `SELECT subject, changeid, actor_id, event_time = '2026-11-20T21:59:59.123456Z' AS time_ok, recorded_at = '2026-11-21T00:00:00Z' AS recorded_ok
           FROM "${lastSchema()}".entries ORDER BY sequence LIMIT 2`,
        ),
      );
      expect(index.rows).toEqual([
        { subject: awkward, changeid: 'NULL', actor_id: 'agent:"x"', time_ok: true, recorded_ok: true },
        { subject: null, changeid: null, actor_id: 'agent:"x"', time_ok: true, recorded_ok: true },
      ]);
    });

    it('indexes event times as PostgreSQL reads them, and impossible ones as null without failing the batch', async () => {
      const store = await openStore();
      const valid = ['2024-02-29T23:59:59.9999995-00:30', '0001-01-01T00:00:00.5-01:00', '2016-12-31T23:59:60Z'];
      const times = [...valid, '2026-02-29T00:00:00Z', '2026-11-21T24:00:00Z', '2016-12-31T23:59:60.5Z'];
      const f = new RowFactory();
      const rows = f.rows(size).map((r, i) => ({ ...r, index: { ...r.index, time: times[i % times.length] } }));
      await store.withAppendSession('acme', (s) => s.append(rows, f.checkpoint(), f.head));
      const { rows: stored } = await admin((c) =>
        c.query(
          `SELECT sequence::int AS seq, event_time IS NOT DISTINCT FROM CASE WHEN sequence % 6 < 3 THEN (ARRAY[$1, $2, $3])[sequence % 6 + 1]::timestamptz END AS same
           FROM "${lastSchema()}".entries ORDER BY sequence LIMIT 6`,
          valid,
        ),
      );
      expect(stored).toEqual([0, 1, 2, 3, 4, 5].map((seq) => ({ seq, same: true })));
    });

    it('refuses an event id already in the log, writing nothing', async () => {
      const store = await openStore();
      const f = new RowFactory();
      const [first] = f.rows(1);
      await store.withAppendSession('acme', (s) => s.append([first], f.checkpoint(), f.head));
      const rows = f.rows(size, { id: (seq) => (seq === size ? first.id : uuidFor('acme', seq)) });
      await expect(store.withAppendSession('acme', (s) => s.append(rows, f.checkpoint(), f.head))).rejects.toMatchObject({
        code: 'STORE_CONFLICT',
      });
      expect((await store.head('acme')).treeSize).toBe(1);
    });
  });

  it('reports a connection lost mid-session as unavailable, writes nothing, and recovers', async () => {
    const store = await openStore();
    const schema = lastSchema();
    const f = new RowFactory();
    const attempt = store.withAppendSession('acme', async (s) => {
      // The session's backend is the one idle in a transaction that locked this schema's log.
      await admin((c) =>
        c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction' AND query LIKE $1`, [
          `%"${schema}".logs%FOR UPDATE%`,
        ]),
      );
      await s.append(f.rows(3), f.checkpoint(), f.head);
    });
    await expect(attempt).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((await store.head('acme')).treeSize).toBe(0);
    const again = new RowFactory();
    await store.withAppendSession('acme', (s) => s.append(again.rows(2), again.checkpoint(), again.head));
    expect((await store.head('acme')).treeSize).toBe(2);
  });

  it('treats ids that are not UUIDs as absent', async () => {
    const store = await openStore();
    const f = new RowFactory();
    const rows = f.rows(2);
    await store.withAppendSession('acme', (s) => s.append(rows, f.checkpoint(), f.head));
    expect((await store.findByIds('acme', ['not-a-uuid', rows[1].id.toUpperCase()])).map((e) => e.sequence)).toEqual([1]);
    const found = await store.withAppendSession('acme', (s) => s.findByIds(["'; drop table entries; --", rows[0].id]));
    expect(found.map((e) => [e.id, e.sequence])).toEqual([[rows[0].id, 0]]);
  });
});
