export * from './durable-file';
