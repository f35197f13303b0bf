export { PostgresLedgerStore } from './postgres-ledger-store';
export type { PostgresStoreOptions } from './postgres-ledger-store';
export { POSTGRES_MIGRATIONS } from './migrations';
