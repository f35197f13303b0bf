export * from './event-envelope';
export * from './event-catalog';
export * from './limits';
export * from './log-entry';
export * from './envelope-rules';
export * from './parse-envelope';
export * from './prepared-event';
export * from './uuid-v7';
