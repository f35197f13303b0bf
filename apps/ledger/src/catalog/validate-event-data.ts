import { FieldViolation, isCatalogEventType, isPlainObject } from '@evidence-ledger/core';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidatorOptions } from 'class-validator';
import { CATALOG_DATA_CLASSES } from './catalog-registry';
import { preflightViolations } from './data-preflight';
import { isValidEventDataFast } from './fast-data-validators';
import { toFieldViolations } from './field-violations';

const STRICT: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/**
 * Checks the `data` of one event against its type's DTO and returns every violation, with
 * paths under `path` (e.g. `[3].data` → `[3].data.findings.high`). Typed catalog events get
 * strict validation: `data` must be an object and unknown fields are rejected. Other types
 * (`x.*`) return no violation here: the core already enforces the generic limits.
 *
 * Valid data is recognised by a compiled twin of the DTO's rules (`fast-data-validators.ts`);
 * anything it does not accept goes through class-validator, which decides and words the
 * violations, exactly as `validateEventDataStrict` does.
 *
 * The input is never modified; the validated instance is thrown away, so the ledger stores
 * exactly the JSON the producer sent.
 */
export function validateEventData(type: string, data: unknown, path: string): FieldViolation[] {
  if (isCatalogEventType(type) && isValidEventDataFast(type, data)) return [];
  return validateEventDataStrict(type, data, path);
}

/** `validateEventData` with class-validator alone, every time: the reference the fast path is tested against. */
export function validateEventDataStrict(type: string, data: unknown, path: string): FieldViolation[] {
  if (!isCatalogEventType(type)) return [];
  const self = path || '$';
  if (data === undefined) return [{ path: self, message: `is required for "${type}" events` }];
  if (!isPlainObject(data)) return [{ path: self, message: 'must be a JSON object' }];
  const preflight = preflightViolations(data, path);
  if (preflight.length > 0) return preflight;
  const instance = plainToInstance(CATALOG_DATA_CLASSES[type], data);
  return toFieldViolations(validateSync(instance, STRICT), path);
}
