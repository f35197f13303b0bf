import { CATALOG_EVENT_TYPES, CatalogEventType } from '@evidence-ledger/core';
import Ajv, { ValidateFunction } from 'ajv';
import { JsonSchema, readDataSchemas } from './catalog-schemas';
import { TEXT_LENGTH_KEYWORDS, withTextLengths } from './text-length';

/** The compiled validator of one typed event's `data`, with the schema it was compiled from. */
export interface DataValidator {
  readonly validate: ValidateFunction;
  readonly schema: JsonSchema;
}

/**
 * Compiles the data schema of every typed event, once. `strictNumbers` rejects NaN and
 * ±Infinity as numbers (JSON holds neither, but a caller's object may); `allErrors` reports
 * every violation, not just the first, so a producer can fix a batch in one go.
 */
export function compileDataValidators(
  schemas: Record<CatalogEventType, JsonSchema> = readDataSchemas(),
): Record<CatalogEventType, DataValidator> {
  const ajv = new Ajv({ allErrors: true, strictNumbers: true, allowUnionTypes: true, keywords: [...TEXT_LENGTH_KEYWORDS] });
  return Object.fromEntries(
    CATALOG_EVENT_TYPES.map((type) => {
      const schema = withTextLengths(schemas[type]);
      return [type, { validate: ajv.compile(schema), schema }];
    }),
  ) as Record<CatalogEventType, DataValidator>;
}
