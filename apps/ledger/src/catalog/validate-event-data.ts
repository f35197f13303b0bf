import { FieldViolation, isCatalogEventType, isPlainObject, LIMITS } from '@evidence-ledger/core';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidatorOptions } from 'class-validator';
import { CATALOG_DATA_CLASSES } from './catalog-registry';
import { fieldPath, toFieldViolations } from './field-violations';

const STRICT: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

// class-transformer silently skips these keys (prototype-pollution guard), so the whitelist
// never sees them; they would reach the log unvalidated. Reject them wherever they appear.
const SKIPPED_BY_TRANSFORMER = ['__proto__', 'constructor'];

/**
 * Checks the `data` of one event against its type's DTO and returns every violation, with
 * paths under `path` (e.g. `[3].data` → `[3].data.findings.high`). Typed catalog events get
 * strict validation: `data` must be an object and unknown fields are rejected. Other types
 * (`x.*`) return no violation here: the core already enforces the generic limits.
 *
 * The input is never modified; the validated instance is thrown away, so the ledger stores
 * exactly the JSON the producer sent.
 */
export function validateEventData(type: string, data: unknown, path: string): FieldViolation[] {
  if (!isCatalogEventType(type)) return [];
  const self = path || '$';
  if (data === undefined) return [{ path: self, message: `is required for "${type}" events` }];
  if (!isPlainObject(data)) return [{ path: self, message: 'must be a JSON object' }];
  const preflight = preflightViolations(data, path);
  if (preflight.length > 0) return preflight;
  const instance = plainToInstance(CATALOG_DATA_CLASSES[type], data);
  return toFieldViolations(validateSync(instance, STRICT), path);
}

// What must be settled before handing `data` to class-transformer: keys it would skip, and
// nesting deep enough to exhaust its recursion (the core reports the same depth cap).
function preflightViolations(value: unknown, path: string, depth = 0): FieldViolation[] {
  if (depth > LIMITS.maxDepth) return [{ path: path || '$', message: `is nested deeper than ${LIMITS.maxDepth} levels` }];
  if (Array.isArray(value)) return value.flatMap((item, i) => preflightViolations(item, `${path}[${i}]`, depth + 1));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    SKIPPED_BY_TRANSFORMER.includes(key)
      ? [{ path: fieldPath(path, key), message: 'is a reserved name that event data cannot use' }]
      : preflightViolations(child, fieldPath(path, key), depth + 1),
  );
}
