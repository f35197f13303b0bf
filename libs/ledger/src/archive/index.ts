export * from './segment-format';
export * from './segment-error';
export * from './archived-segments';
export * from './segment-sealer';
export * from './archive-verifier';
