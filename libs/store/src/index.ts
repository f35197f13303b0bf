export * from './ledger-store';
export * from './store-error';
export * from './node-locations';
export * from './sqlite';
export * from './postgres';
export * from './open-store';
