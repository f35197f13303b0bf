export * from './cli-error';
export * from './exit-codes';
export * from './command-io';
export * from './public-key-input';
export * from './trusted-checkpoints';
export * from './error-reporter';
export * from './verify-command-line';
