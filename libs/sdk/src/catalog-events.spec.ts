import { readFileSync } from 'node:fs';

// The generator is a plain Node script (`npm run catalog`), so it runs without a build.
const { emitCatalogTypes, GENERATED_FILE } = require('../../../scripts/catalog-types.js') as {
  emitCatalogTypes: () => string;
  GENERATED_FILE: string;
};

describe('the generated catalog types', () => {
  it('match the schemas in schemas/ (after editing a schema: npm run catalog)', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(emitCatalogTypes());
  });
});
