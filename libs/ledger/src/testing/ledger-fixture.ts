import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { LedgerStore, PostgresLedgerStore, SqliteLedgerStore } from '@evidence-ledger/store';
import { Ledger } from '../ledger';

export const POSTGRES_URL = process.env.LEDGER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A store on a real database that can be opened again (a restart, another instance). */
export interface StoreHandle {
  readonly kind: 'sqlite' | 'postgres';
  /** The location a CLI or child process opens (`sqlite:<file>` or a postgres URL with ?schema=). */
  readonly location: string;
  open(): Promise<LedgerStore>;
  cleanup(): Promise<void>;
}

export function sqliteHandle(): StoreHandle {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  const file = join(dir, 'ledger.db');
  return {
    kind: 'sqlite',
    location: `sqlite:${file}`,
    open: async () => {
      const s = await SqliteLedgerStore.open(file);
      await s.migrate();
      return s;
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function postgresHandle(): StoreHandle {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const location = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  return {
    kind: 'postgres',
    location,
    open: async () => {
      const s = await PostgresLedgerStore.open(location);
      await s.migrate();
      return s;
    },
    cleanup: async () => {
      const { Client } = await import('pg');
      const c = new Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

export const STORES: [string, () => StoreHandle][] = [
  ['SQLite', sqliteHandle],
  ['PostgreSQL', postgresHandle],
];

export function ledgerOver(store: LedgerStore, signer = LocalKeySigner.generate('ledger.test'), clock?: () => Date): Ledger {
  return new Ledger({ store, signer, originPrefix: 'ledger.test', clock });
}
