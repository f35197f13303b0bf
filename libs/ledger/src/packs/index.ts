export * from './pack-signing';
export * from './oscal-results';
export * from './report-pdf';
export * from './template-catalog';
export * from './pack-builder';
export * from './pack-retention';
