export * from './ledger';
export * from './preparation';
export * from './pending-append';
export * from './receipt';
export * from './credentials/api-key-secret';
export * from './credentials/issue-api-key';
export * from './credentials/break-glass';
export * from './log-lines';
