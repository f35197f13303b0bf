export * from './tree-math';
export * from './range-hash';
export * from './compact-range';
export * from './inclusion-proof';
export * from './consistency-proof';
