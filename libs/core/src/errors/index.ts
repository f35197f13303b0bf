export * from './ledger-error';
export * from './note-error';
