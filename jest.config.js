/** Unit (`*.spec.ts`), integration against real servers (`*.int-spec.ts`) and end-to-end (`test/*.e2e-spec.ts`). */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testRegex: '\\.(spec|int-spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@evidence-ledger/(core|signing|store|ledger|sdk|evidence|verify|forensics|archive|samples)$': '<rootDir>/libs/$1/src',
  },
  testTimeout: 60_000,
  maxWorkers: 2,
};
