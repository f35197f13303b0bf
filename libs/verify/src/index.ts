export * from './command';
export * from './projections';
export * from './packs';
export * from './change-bundle';
