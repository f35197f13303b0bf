export { KurrentDbLedgerStore } from './kurrentdb-ledger-store';
export type { CompanionCredentialStore, KurrentDbStoreOptions } from './kurrentdb-ledger-store';
export { isKurrentDbLocation, parseKurrentDbLocation } from './kurrentdb-location';
export type { KurrentDbTarget } from './kurrentdb-location';
export type { KurrentDbConnection } from './kurrentdb-connection';
