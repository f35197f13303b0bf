export * from './local-key-signer';
export * from './public-key-file';
export * from './signer';
export * from './signing-error';
