export * from './ledger-store';
export * from './store-error';
export * from './node-locations';
export * from './sqlite';
