export * from './projections';
export * from './packs';
