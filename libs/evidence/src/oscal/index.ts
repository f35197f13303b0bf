export * from './oscal-results';
