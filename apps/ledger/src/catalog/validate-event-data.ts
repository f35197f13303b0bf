import { FieldViolation, isCatalogEventType, isPlainObject } from '@evidence-ledger/core';
import { compileDataValidators } from './data-validators';
import { toFieldViolations } from './field-violations';

// Compiled when the service loads, so the first event pays nothing extra.
const validators = compileDataValidators();

/**
 * Checks the `data` of one event against its type's schema (`schemas/<type>.schema.json`)
 * and returns every violation, with paths under `path` (e.g. `[3].data` →
 * `[3].data.findings.high`). Typed catalog events get strict validation: `data` must be an
 * object and unknown fields are rejected. Other types (`x.*`) return no violation here: the
 * core already enforces the generic limits.
 *
 * The schema is applied to the producer's JSON as it is, never to a copy or a conversion of
 * it: every key is seen (`__proto__` and `toString` are unknown fields like any other), and
 * the ledger stores exactly what was validated.
 */
export function validateEventData(type: string, data: unknown, path: string): FieldViolation[] {
  if (!isCatalogEventType(type)) return [];
  const self = path || '$';
  if (data === undefined) return [{ path: self, message: `is required for "${type}" events` }];
  if (!isPlainObject(data)) return [{ path: self, message: 'must be a JSON object' }];
  const { validate, schema } = validators[type];
  if (validate(data)) return [];
  return toFieldViolations(validate.errors ?? [], data, schema, path);
}
