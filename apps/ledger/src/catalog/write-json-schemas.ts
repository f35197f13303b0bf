import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { catalogJsonSchemas } from './catalog-json-schemas';

/** Where the generated schemas are committed: `<repo>/schemas/` (same depth from src/ and dist/). */
export const SCHEMAS_DIR = resolve(__dirname, '../../../../schemas');

// Writes `<dir>/<name>.schema.json` for every catalog schema and returns the paths written.
// Output is Prettier-formatted when Prettier is installed (a dev checkout), so `npm run lint`
// stays clean; otherwise plain two-space JSON.
export async function writeJsonSchemas(dir: string = SCHEMAS_DIR): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const format = await jsonFormatter();
  const written: string[] = [];
  for (const [name, schema] of Object.entries(catalogJsonSchemas())) {
    const file = join(dir, `${name}.schema.json`);
    writeFileSync(file, await format(JSON.stringify(schema, null, 2) + '\n', file));
    written.push(file);
  }
  return written;
}

// Prettier is a dev dependency and cannot load in every runtime (e.g. Jest's VM without ESM
// support); any failure falls back to plain JSON, which differs only in layout.
async function jsonFormatter(): Promise<(json: string, file: string) => Promise<string>> {
  try {
    const prettier = require('prettier') as typeof import('prettier');
    await prettier.format('{}', { parser: 'json' });
    return async (json, file) => prettier.format(json, { ...(await prettier.resolveConfig(file)), filepath: file });
  } catch {
    return async (json) => json;
  }
}

if (require.main === module) {
  writeJsonSchemas(process.argv[2] ? resolve(process.argv[2]) : SCHEMAS_DIR).then(
    (files) => files.forEach((file) => console.log(file)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
