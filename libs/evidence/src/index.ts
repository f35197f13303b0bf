export * from './pack';
export * from './report';
export * from './oscal';
export * from './templates';
export * from './jobs';
