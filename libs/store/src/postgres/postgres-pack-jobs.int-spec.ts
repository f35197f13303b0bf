import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { StoreUnderTest } from '../testing/ledger-store.contract';
import { describePackJobStoreContract } from '../testing/pack-job-store.contract';
import { PostgresLedgerStore } from './postgres-ledger-store';

// A real server is required: when it is unreachable these tests fail, they never skip.
const SERVER = process.env.LEDGER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

// A fresh schema per test; pack jobs live in the same schema as the log.
async function openFreshStore(): Promise<StoreUnderTest<PostgresLedgerStore>> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const opened: PostgresLedgerStore[] = [];
  const open = async () => {
    const store = await PostgresLedgerStore.open(SERVER, { schema, poolSize: 4 });
    opened.push(store);
    await store.migrate();
    return store;
  };
  return {
    store: await open(),
    reopen: open,
    cleanup: async () => {
      for (const s of opened) await s.close().catch(() => undefined);
      await dropSchema(schema);
    },
  };
}

describePackJobStoreContract('PostgreSQL', openFreshStore);
