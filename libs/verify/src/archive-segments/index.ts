export * from './segment-format';
export * from './segment-lines';
