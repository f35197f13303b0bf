import { ARRAY_MAX_SIZE, ARRAY_MIN_SIZE, MATCHES, MAX, MAX_LENGTH, MIN, MIN_LENGTH } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { ISchemaConverters } from 'class-validator-jsonschema/build/defaultConverters';
import { REQUIRED_UNLESS } from './required-unless';
import { IS_SCALAR_MAP, scalarMapJsonSchema, ScalarMapLimits } from './is-scalar-map';

// How the catalog's decorators read as JSON Schema. The library's defaults attach a `type`
// to every bound (`minimum` says "number", `maxLength` says "string"); merged in decorator
// order, that would let `@Min` turn an `integer` into a `number`. Bounds here carry only
// the bound; the type comes from `@IsInt`, `@IsNumber`, `@IsString`, `@IsArray`.
export const CATALOG_SCHEMA_CONVERTERS: ISchemaConverters = {
  [MIN]: (meta: ValidationMetadata) => ({ minimum: meta.constraints[0] }),
  [MAX]: (meta: ValidationMetadata) => ({ maximum: meta.constraints[0] }),
  [MIN_LENGTH]: (meta: ValidationMetadata) => ({ minLength: meta.constraints[0] }),
  [MAX_LENGTH]: (meta: ValidationMetadata) => ({ maxLength: meta.constraints[0] }),
  [MATCHES]: (meta: ValidationMetadata) => ({ pattern: (meta.constraints[0] as RegExp).source }),
  [ARRAY_MIN_SIZE]: (meta: ValidationMetadata) => ({ minItems: meta.constraints[0] }),
  [ARRAY_MAX_SIZE]: (meta: ValidationMetadata) => ({ maxItems: meta.constraints[0] }),
  [IS_SCALAR_MAP]: (meta: ValidationMetadata) => scalarMapJsonSchema(meta.constraints[0] as ScalarMapLimits),
  [REQUIRED_UNLESS]: {},
};
