export * from './projected-entry';
export * from './event-data';
export * from './change-status';
export * from './change-state';
export * from './change-approvals';
export * from './governance-settings';
export * from './agent-scope';
export * from './exceptions';
