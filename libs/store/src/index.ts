export * from './ledger-store';
export * from './store-error';
export * from './node-locations';
export * from './sqlite';
export * from './postgres';
export * from './open-store';
export { MAX_ENTRY_QUERY_LIMIT, planEntryQuery } from './entry-query';
export type { EntryPage, EntryQuery } from './entry-query';
export * from './credential-store';
