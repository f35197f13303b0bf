export * from './log-lines';
