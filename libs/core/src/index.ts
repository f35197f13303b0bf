export * from './errors';
export * from './hashing';
export * from './canonical';
export * from './chain';
export * from './merkle';
export * from './entry';
export * from './note';
export * from './verification';
