export * from './event-preparer';
export * from './threaded-preparer';
export * from './default-preparer';
