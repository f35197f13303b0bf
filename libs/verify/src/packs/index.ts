export * from './pack-format';
export * from './pack-zip';
export * from './file-digest';
export * from './range-proof';
export * from './pack-bundle';
export * from './timeline-line';
export * from './population-fold';
export * from './pack-verifier';
