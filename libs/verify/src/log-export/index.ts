export * from './log-lines';
export * from './export-format';
export * from './export-lines';
export * from './verification-summary';
export * from './export-verifier';
export * from './verify-export-file';
