export * from './verification-failure';
export * from './log-verifier';
export * from './verify-log-stream';
export * from './trusted-checkpoint';
