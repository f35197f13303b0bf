import { CATALOG_EVENT_TYPES, CatalogEventType } from '@evidence-ledger/core';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A JSON Schema document as parsed from its file. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** Where the catalog's schemas live: `<repo>/schemas/` (the same depth from src/ and dist/). */
export const SCHEMAS_DIR = resolve(__dirname, '../../../../schemas');
export const ENVELOPE_SCHEMA_NAME = 'event-envelope';

/** The published name of each schema: `schemas/<name>.schema.json`. */
export function schemaFile(name: string, dir: string = SCHEMAS_DIR): string {
  return join(dir, `${name}.schema.json`);
}

/**
 * The schemas of the v1 catalog, read from `schemas/`: one per typed event's `data`, in
 * catalog order, then the envelope. These files are the catalog's one definition: the
 * service validates with them, the SDK's types and the OpenAPI components come from them.
 */
export function readCatalogSchemas(dir: string = SCHEMAS_DIR): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  for (const name of [...CATALOG_EVENT_TYPES, ENVELOPE_SCHEMA_NAME]) {
    schemas[name] = JSON.parse(readFileSync(schemaFile(name, dir), 'utf8')) as JsonSchema;
  }
  return schemas;
}

/** The data schema of each typed event. */
export function readDataSchemas(dir: string = SCHEMAS_DIR): Record<CatalogEventType, JsonSchema> {
  const all = readCatalogSchemas(dir);
  return Object.fromEntries(CATALOG_EVENT_TYPES.map((type) => [type, all[type]])) as Record<CatalogEventType, JsonSchema>;
}
