export * from './stores';
export * from './segments';
