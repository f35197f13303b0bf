export * from './template-catalog';
