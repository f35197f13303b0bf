export * from './canonical-json';
export * from './canonical-object';
