export * from './event-preparer';
export * from './threaded-preparer';
