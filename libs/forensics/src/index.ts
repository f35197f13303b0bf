export * from './forensics-tables';
export * from './forensics-projection';
export * from './projection';
export * from './projection-runner';
export * from './projection-host';
export * from './entry-proofs';
export * from './forensics-reader';
