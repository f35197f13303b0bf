import {
  ARRAY_MAX_SIZE,
  ARRAY_MIN_SIZE,
  IS_ARRAY,
  IS_BOOLEAN,
  IS_IN,
  IS_INT,
  IS_NUMBER,
  IS_OBJECT,
  IS_STRING,
  MATCHES,
  MAX,
  MAX_LENGTH,
  maxLength,
  MIN,
  MIN_LENGTH,
  minLength,
} from 'class-validator';
import { IS_SCALAR_MAP, REQUIRED_UNLESS, scalarMapProblem, ScalarMapLimits } from './validators';

/** A constraint as a yes/no function of one value. */
export type ValuePredicate = (value: unknown) => boolean;

/**
 * The constraints the fast path may decide, by class-validator name. Each looks at the value
 * alone, so its verdict on the producer's JSON is its verdict on what class-transformer makes
 * of that JSON: the same string, number or boolean, an array of the same items, or (scalar
 * map) an object with the same entries or fewer — class-transformer drops keys named like
 * `Object.prototype` members, and a scalar map that is fine with them is fine without them.
 */
export const VALUE_ONLY_CONSTRAINTS: ReadonlySet<string> = new Set([
  IS_STRING,
  IS_BOOLEAN,
  IS_INT,
  IS_NUMBER,
  IS_ARRAY,
  IS_OBJECT,
  IS_IN,
  MIN,
  MAX,
  MIN_LENGTH,
  MAX_LENGTH,
  MATCHES,
  ARRAY_MIN_SIZE,
  ARRAY_MAX_SIZE,
  IS_SCALAR_MAP,
  REQUIRED_UNLESS,
]);

// validator.js, behind MinLength/MaxLength, counts a surrogate pair, or a character and its
// variation selector, as one: in a string without either, its length is `.length`.
const LENGTH_ADJUSTING = /[\uD800-\uDFFF]|\uFE0E|\uFE0F/;

/**
 * The verdict of class-validator's constraint `name` with `constraints` on a JSON value, as a
 * plain function (the library's own, unwrapped; the comment names any difference), or
 * `undefined` for a constraint or arguments not written out here: then ask the constraint.
 */
export function jsonValuePredicate(name: string, constraints: readonly unknown[] | undefined): ValuePredicate | undefined {
  const bound = constraints?.[0];
  const isNumber = typeof bound === 'number';
  switch (name) {
    case IS_STRING: // also `instanceof String`, which JSON never holds
      return (value) => typeof value === 'string';
    case IS_BOOLEAN: // also `instanceof Boolean`, which JSON never holds
      return (value) => typeof value === 'boolean';
    case IS_INT:
      return (value) => typeof value === 'number' && Number.isInteger(value);
    case IS_NUMBER: // NaN and ±Infinity rejected even if allowed: JSON holds neither
      return (bound as { maxDecimalPlaces?: number } | undefined)?.maxDecimalPlaces === undefined
        ? (value) => typeof value === 'number' && Number.isFinite(value)
        : undefined;
    case IS_ARRAY:
      return (value) => Array.isArray(value);
    case IS_OBJECT: // also functions, which JSON never holds
      return (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
    case IS_IN: // `some(v => v === value)`
      return Array.isArray(bound) ? (value) => bound.indexOf(value) !== -1 : undefined;
    case MIN:
      return isNumber ? (value) => typeof value === 'number' && value >= bound : undefined;
    case MAX:
      return isNumber ? (value) => typeof value === 'number' && value <= bound : undefined;
    case MIN_LENGTH:
      return isNumber
        ? (value) => typeof value === 'string' && (LENGTH_ADJUSTING.test(value) ? minLength(value, bound) : value.length >= bound)
        : undefined;
    case MAX_LENGTH:
      return isNumber
        ? (value) => typeof value === 'string' && (LENGTH_ADJUSTING.test(value) ? maxLength(value, bound) : value.length <= bound)
        : undefined;
    case MATCHES: // `!!value.match(pattern)`, which is `pattern.test(value)` for a plain, non-global RegExp
      return bound instanceof RegExp && Object.getPrototypeOf(bound) === RegExp.prototype && !bound.global && !bound.sticky
        ? (value) => typeof value === 'string' && bound.test(value)
        : undefined;
    case ARRAY_MIN_SIZE:
      return isNumber ? (value) => Array.isArray(value) && value.length >= bound : undefined;
    case ARRAY_MAX_SIZE:
      return isNumber ? (value) => Array.isArray(value) && value.length <= bound : undefined;
    case IS_SCALAR_MAP:
      return (value) => scalarMapProblem(value, bound as ScalarMapLimits) === undefined;
    case REQUIRED_UNLESS:
      return (value) => value !== undefined;
    default:
      return undefined;
  }
}
