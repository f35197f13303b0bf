export * from './segment-format';
export * from './segment-lines';
export * from './segment-header';
export * from './segment-failure';
export * from './segment-check';
export * from './segment-file';
export * from './verify-segment-file';
