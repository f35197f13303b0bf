export * from './exception-rule';
export * from './rules';
