import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { StoreUnderTest, storeUnderTest } from '../../testing/ledger-store.contract';
import { PostgresLedgerStore } from '../postgres-ledger-store';

// A real server is required: when it is unreachable these tests fail, they never skip.
export const TEST_POSTGRES_URL = process.env.LEDGER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A migrated store in a fresh schema of its own (forensics tables and pack jobs live beside the log); cleanup drops it. */
export function openFreshPostgresStore(): Promise<StoreUnderTest<PostgresLedgerStore>> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return storeUnderTest(
    async () => {
      const store = await PostgresLedgerStore.open(TEST_POSTGRES_URL, { schema, poolSize: 4 });
      await store.migrate();
      return store;
    },
    () => dropSchema(schema),
  );
}
