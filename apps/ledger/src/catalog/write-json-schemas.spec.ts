import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { catalogJsonSchemas } from './catalog-json-schemas';
import { writeJsonSchemas } from './write-json-schemas';

describe('writeJsonSchemas', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'catalog-schemas-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes <name>.schema.json for each data schema and the envelope', async () => {
    const files = await writeJsonSchemas(dir);
    const schemas = catalogJsonSchemas();
    expect(files.map((f) => basename(f)).sort()).toEqual(
      Object.keys(schemas)
        .map((name) => `${name}.schema.json`)
        .sort(),
    );
    for (const file of files) {
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(schemas[basename(file, '.schema.json')]);
      expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
    }
  });
});
