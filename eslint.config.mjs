// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const drivers = ['pg', 'pg-copy-streams', 'better-sqlite3', '@kurrent/*', '@aws-sdk/*'];
// What renders the pack's PDF report: the server builds reports, verifiers never render one.
const rendering = ['pdfkit'];
const framework = ['@nestjs/*', 'express', 'class-validator', 'class-transformer', 'rxjs', 'reflect-metadata'];
const demoSamples = { group: ['@evidence-ledger/samples'], message: 'Demo samples stay out of the service and its libraries.' };
const network = ['node:net', 'node:http', 'node:https', 'node:child_process'];

// libs/core's import rule: no framework, driver or package of ours, and none of `io`.
const coreImports = (io, message) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: [...framework, ...drivers, ...rendering], message: 'libs/core is pure: no framework, driver or PDF imports.' },
        { group: ['@evidence-ledger/*'], message: 'libs/core depends on nothing of ours; dependencies point inward.' },
        { group: io, message },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'bench/results/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The console runs in the browser.
    files: ['apps/console/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/testing/**'],
    languageOptions: { globals: { ...globals.jest } },
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Only the service speaks Nest; libraries, the CLI and the SDK stay framework-free.
    files: ['libs/**/*.ts', 'apps/cli/**/*.ts', 'bench/**/*.ts'],
    // The framework baseline of `npm run bench` measures Nest itself, so it must import it.
    ignores: ['bench/src/http-nest-server.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: framework, message: 'Only apps/ledger may import the web framework.' }] }],
    },
  },
  {
    // Demo data is for the demo command, benchmarks and tests; the service and its libraries
    // never ship it. (A later rule for the same files replaces this one, so it restates the
    // framework rule for the libraries.)
    files: ['libs/**/*.ts'],
    ignores: ['libs/samples/**', '**/*.spec.ts', '**/*.int-spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: framework, message: 'Only apps/ledger may import the web framework.' }, demoSamples] },
      ],
    },
  },
  {
    files: ['apps/ledger/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [demoSamples] }] },
  },
  {
    // The pure core: no framework, no driver, no I/O, no other package of ours.
    files: ['libs/core/src/**/*.ts'],
    ignores: ['libs/core/src/**/*.spec.ts', 'libs/core/src/durable/**'],
    rules: coreImports(
      ['node:fs', 'node:fs/*', 'fs', ...network],
      'libs/core does no I/O (the durable-write helpers in libs/core/src/durable are the one exception).',
    ),
  },
  {
    // The durable-write helpers every file-writing package shares: local files only, still no
    // framework, driver, network or process.
    files: ['libs/core/src/durable/**/*.ts'],
    ignores: ['libs/core/src/**/*.spec.ts'],
    rules: coreImports(network, 'libs/core/src/durable writes local files only.'),
  },
  {
    // What an auditor installs alone (@evidence-ledger/verify): no server, database or PDF code,
    // and none of our packages but core, where the control engine and reducers it re-runs live.
    files: ['libs/verify/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...framework, ...drivers, ...rendering],
              message: 'The offline verifier installs alone: no framework, driver or PDF imports.',
            },
            {
              group: ['@evidence-ledger/*', '!@evidence-ledger/core'],
              message: 'The offline verifier depends on @evidence-ledger/core only.',
            },
          ],
        },
      ],
    },
  },
  {
    // A sealed segment is checked from its bytes with core alone (the archive's sealer and
    // verifier build on this code). Restates the verifier's rule, which this one replaces here.
    files: ['libs/verify/src/archive-segments/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...framework, ...drivers, ...rendering, '@sigstore/*', '@evidence-ledger/*', '!@evidence-ledger/core'],
              message: 'Archive segments are checked with @evidence-ledger/core and node built-ins only.',
            },
          ],
        },
      ],
    },
  },
);
