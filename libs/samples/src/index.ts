export * from './sample-events';
export * from './mulberry32';
export * from './posting-runs';
export * from './forensic-events';
export * from './demo-scenario';
