import { FieldViolation, isPlainObject, LIMITS } from '@evidence-ledger/core';
import { fieldPath } from './field-violations';

// class-transformer silently skips these keys — `__proto__` and `constructor` as a
// prototype-pollution guard, and any key the new instance already answers with a method
// (`toString`, `hasOwnProperty`, …) — so the whitelist never sees them and they would reach
// the log unvalidated. Reject every name `Object.prototype` holds, wherever it appears.
const SKIPPED_BY_TRANSFORMER = Object.getOwnPropertyNames(Object.prototype);

// What must be settled before handing `data` to class-transformer: keys it would skip, and
// nesting deep enough to exhaust its recursion (the core reports the same depth cap).
export function preflightViolations(value: unknown, path: string, depth = 0): FieldViolation[] {
  if (depth > LIMITS.maxDepth) return [{ path: path || '$', message: `is nested deeper than ${LIMITS.maxDepth} levels` }];
  if (Array.isArray(value)) return value.flatMap((item, i) => preflightViolations(item, `${path}[${i}]`, depth + 1));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    SKIPPED_BY_TRANSFORMER.includes(key)
      ? [{ path: fieldPath(path, key), message: 'is a reserved name that event data cannot use' }]
      : preflightViolations(child, fieldPath(path, key), depth + 1),
  );
}

/**
 * Whether `value` is JSON as `JSON.parse` returns it — plain objects and arrays, strings,
 * finite numbers, booleans, null — that passes the preflight: the same walk with a yes/no
 * answer, no allocation, and `false` for anything else (class instances, holes, `undefined`…).
 */
export function isPlainJsonPassingPreflight(value: unknown, depth = 0): boolean {
  if (depth > LIMITS.maxDepth) return false;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) {
        if (Object.getPrototypeOf(value) !== Array.prototype) return false;
        for (let i = 0; i < value.length; i++) if (!(i in value) || !isPlainJsonPassingPreflight(value[i], depth + 1)) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key of Object.keys(value)) {
        if (SKIPPED_BY_TRANSFORMER.includes(key)) return false;
        if (!isPlainJsonPassingPreflight((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    default:
      return false;
  }
}
