export * from './ledger';
export * from './pending-append';
export * from './receipt';
export * from './tenant-name';
export * from './credentials/api-key-secret';
export * from './credentials/issue-api-key';
export * from './samples/sample-events';
