export * from './template';
export * from './template-error';
export * from './template-validation';
export * from './population-facts';
export * from './sampling';
export * from './test-kinds';
export * from './control-engine';
