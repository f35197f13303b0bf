export * from './segment-keys';
export * from './segment-claim';
export * from './segment-error';
export * from './archived-segments';
export * from './segment-sealer';
export * from './archive-verifier';
