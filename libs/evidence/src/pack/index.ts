export * from './pack-builder';
export * from './pack-signing';
export * from './pack-retention';
