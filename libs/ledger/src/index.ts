export * from './ledger';
export * from './pending-append';
export * from './receipt';
export * from './tenant-name';
