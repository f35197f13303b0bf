import { Client } from 'pg';
import { modelInvocation } from '../libs/ledger/src/testing/events';
import { POSTGRES_URL, postgresHandle, StoreHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { call } from './support/http-client';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';

// Over HTTP, on PostgreSQL: many producers of one tenant post at once and one event is a value
// the database refuses (here a trigger; U+0000 in a text column behaves the same). Only that
// request fails, with a problem that names no database detail; every other one is recorded.
describe('one refused event among concurrent posts on PostgreSQL', () => {
  let handle: StoreHandle;
  let ledger: RunningLedger;
  let producer: string;

  beforeAll(async () => {
    handle = postgresHandle();
    ledger = await startLedger(newSite(handle.location));
    producer = (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name: 'gateway', role: 'producer' } })).body.key;
    const schema = new URL(handle.location).searchParams.get('schema') as string;
    const db = new Client({ connectionString: POSTGRES_URL });
    await db.connect();
    await db.query(`CREATE FUNCTION ${schema}.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.source = 'urn:poison' THEN RAISE EXCEPTION 'poison source' USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$`);
    await db.query(
      `CREATE TRIGGER refuse_poison BEFORE INSERT ON ${schema}.entries FOR EACH ROW EXECUTE FUNCTION ${schema}.refuse_poison()`,
    );
    await db.end();
  });
  afterAll(async () => {
    await ledger.close();
    await handle.cleanup();
  });

  it('answers 422 STORE_REJECTED to that request alone; the others get receipts on one gap-free chain', async () => {
    const post = (json: unknown) => call(`${ledger.url}/v1/events`, { key: producer, json });
    const replies = await Promise.all([
      ...Array.from({ length: 30 }, () => post(modelInvocation())),
      post(modelInvocation({ source: 'urn:poison' })),
      ...Array.from({ length: 30 }, () => post(modelInvocation())),
    ]);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ status: 422, body: { code: 'STORE_REJECTED' } });
    expect(refused[0].body.errorId).toEqual(expect.any(String));
    expect(refused[0].text).not.toMatch(/poison|trigger|PostgreSQL|postgres:|check_violation/);
    const sequences = replies.filter((r) => r.status === 201).map((r) => r.body.sequence as number);
    expect(sequences.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });
});
