export * from './bundle-format';
export * from './bundle-files';
export * from './change-evidence';
export * from './bundle-reader';
export * from './change-verifier';
export * from './timeline-printer';
export * from './verify-bundle-file';
