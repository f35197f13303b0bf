import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { openStore } from '../open-store';
import { describeCredentialStoreContract } from '../testing/credential-store.contract';
import { describeEntryQueryContract } from '../testing/entry-query.contract';
import { describeLedgerStoreContract, StoreUnderTest, storeUnderTest } from '../testing/ledger-store.contract';
import { describeForensicsStoreContract } from '../testing/forensics-store.contract';
import { describePackJobStoreContract } from '../testing/pack-job-store.contract';
import { RowFactory } from '../testing/entry-rows';
import { KurrentDbLedgerStore } from './kurrentdb-ledger-store';
import { redact } from './kurrentdb-location';

// Against a real KurrentDB, e.g. `docker compose up kurrentdb` and
//   KURRENTDB_CONNECTION_STRING='kurrentdb://localhost:2113?tls=false' npx jest libs/store/src/kurrentdb
// Without the variable every test below is registered and reported as skipped, by name.
const SERVER = process.env.KURRENTDB_CONNECTION_STRING?.trim() || undefined;
const describeWithServer = SERVER ? describe : describe.skip;

// Each store gets its own stream prefix (so its own streams) and its own credential file.
function freshLocation(): { location: string; prefix: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-kurrentdb-'));
  const prefix = `t_${randomBytes(6).toString('hex')}`;
  const server = SERVER as string;
  const location = `${server}${server.includes('?') ? '&' : '?'}streamPrefix=${prefix}&credentialStore=sqlite:${join(dir, 'credentials.db')}`;
  return { location, prefix, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function openFreshStore(): Promise<StoreUnderTest<KurrentDbLedgerStore>> {
  const { location, cleanup } = freshLocation();
  return storeUnderTest(async () => (await openStore(location)) as KurrentDbLedgerStore, cleanup);
}

describeWithServer(`KurrentDB at ${SERVER ? redact(SERVER) : '$KURRENTDB_CONNECTION_STRING (not set)'}`, () => {
  describeLedgerStoreContract('KurrentDB', openFreshStore);
  describeEntryQueryContract('KurrentDB', openFreshStore);
  describeCredentialStoreContract('KurrentDB', openFreshStore);
  describeForensicsStoreContract('KurrentDB', openFreshStore);
  describePackJobStoreContract('KurrentDB', openFreshStore);

  describe('KurrentDB store on a real server', () => {
    let sut: StoreUnderTest<KurrentDbLedgerStore>;
    let raw: KurrentDBClient;
    beforeEach(async () => {
      sut = await openFreshStore();
      raw = KurrentDBClient.connectionString(SERVER as string);
    });
    afterEach(async () => {
      await raw.dispose();
      await sut.cleanup();
    });

    it('stores entry n at revision n of the tenant stream, the bytes as binary data and the checkpoint on the batch end', async () => {
      const f = new RowFactory();
      const rows = f.rows(3);
      await sut.store.withAppendSession('acme', (s) => s.append(rows, f.checkpoint(), f.head));
      const prefix = /streamPrefix=([^&]+)/.exec(sut.store.location)?.[1];
      const events = [];
      for await (const { event } of raw.readStream(`${prefix}-acme`)) events.push(event!);
      expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      events.forEach((e, i) => {
        expect(e.isJson).toBe(false);
        expect(Buffer.from(e.data as Uint8Array).equals(rows[i].canonical)).toBe(true);
        expect(e.metadata).toMatchObject({ id: rows[i].id, chainHash: rows[i].chainHash.toString('base64') });
      });
      expect((events[2].metadata as Record<string, string>).checkpointNote).toBe(f.checkpoint().note);
      expect((events[1].metadata as Record<string, string>).checkpointNote).toBeUndefined();
    });

    it('refuses an append that expected an older revision, and the store runs the session again', async () => {
      const other = await sut.reopen();
      const heads: number[] = [];
      await Promise.all(
        [sut.store, other, sut.store, other].map((store) =>
          store.withAppendSession('acme', async (s) => {
            const head = await s.head();
            heads.push(head.treeSize);
            const f = new RowFactory();
            f.rows(head.treeSize);
            await s.append(f.rows(5), f.checkpoint(), f.head);
          }),
        ),
      );
      expect((await sut.store.head('acme')).treeSize).toBe(20);
      expect(heads.length).toBeGreaterThanOrEqual(4);
    });

    it('follows the log with a catch-up subscription', async () => {
      const f = new RowFactory();
      await sut.store.withAppendSession('acme', (s) => s.append(f.rows(3), f.checkpoint(), f.head));
      const seen: number[] = [];
      const following = (async () => {
        for await (const e of sut.store.subscribeEntries('acme', 1)) {
          seen.push(e.sequence);
          if (e.sequence === 4) break;
        }
      })();
      await sut.store.withAppendSession('acme', (s) => s.append(f.rows(2), f.checkpoint(), f.head));
      await following;
      expect(seen).toEqual([1, 2, 3, 4]);
    });
  });
});

// Needs no server: the real client, pointed at a port nobody listens on. The location ends in
// `.db`, which openStore must not take for a SQLite file.
describe('KurrentDB store without a server', () => {
  it('is chosen for a kurrentdb:// location and reports an address nobody answers on as unavailable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-kurrentdb-'));
    try {
      const error = await openStore(
        `kurrentdb://127.0.0.1:1?tls=false&defaultDeadline=2000&credentialStore=sqlite:${join(dir, 'c.db')}`,
      ).catch((e: Error) => e);
      expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { kurrentdb: 'unavailable' } });
      expect((error as Error).message).toContain('KurrentDB at kurrentdb://127.0.0.1:1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
