export * from './sqlite-ledger-store';
