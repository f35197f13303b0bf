export * from './command';
export * from './packs';
export * from './change-bundle';
export * from './log-export';
export * from './receipts';
export * from './archive-segments';
