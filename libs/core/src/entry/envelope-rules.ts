import { FieldViolation } from '../errors/ledger-error';
import { LIMITS } from './limits';

// The checks every envelope attribute shares, each returning the violations it finds so
// a rejected batch lists every problem at once.

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 3339 date-time (with a mandatory offset), as CloudEvents `time` requires.
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
export const EVENT_TYPE = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;
// CloudEvents 1.0 §3.1.1: extension attribute names are lowercase a–z and 0–9, at most 20.
export const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
// RFC 6838 media types whose payload is JSON.
export const JSON_MEDIA_TYPE = /^application\/([a-z0-9.+-]+\+)?json(\s*;.*)?$/i;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkString(
  value: unknown,
  path: string,
  opts: { required?: boolean; max?: number; pattern?: RegExp; patternHint?: string } = {},
): FieldViolation[] {
  if (value === undefined) return opts.required ? [{ path, message: 'is required' }] : [];
  if (typeof value !== 'string') return [{ path, message: 'must be a string' }];
  if (value.length === 0) return [{ path, message: 'must not be empty' }];
  const max = opts.max ?? LIMITS.maxAttributeLength;
  if (value.length > max) return [{ path, message: `must be at most ${max} characters` }];
  // Attributes are indexed as text, and PostgreSQL text cannot hold U+0000: refused here,
  // every store behaves alike and one event cannot fail a commit it shares with others.
  if (value.includes('\u0000')) return [{ path, message: 'must not contain U+0000 (NUL)' }];
  if (opts.pattern && !opts.pattern.test(value)) return [{ path, message: opts.patternHint ?? 'is malformed' }];
  return [];
}

// Walks arbitrary JSON data, enforcing the depth cap, the string cap, and I-JSON numbers
// (RFC 7493 §2.2): an integer beyond 2^53 cannot round-trip and would be stored altered.
export function checkJsonValue(value: unknown, path: string, depth = 0): FieldViolation[] {
  // Nearly every event is valid: check without building a path per value, and walk again
  // with paths only to name what is wrong.
  return depth === 0 && isWithinLimits(value, 0) ? [] : violationsOf(value, path, depth);
}

function isWithinLimits(value: unknown, depth: number): boolean {
  if (depth > LIMITS.maxDepth) return false;
  switch (typeof value) {
    case 'string':
      return value.length <= LIMITS.maxStringLength;
    case 'number':
      return Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value));
    case 'boolean':
      return true;
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const v of value) if (!isWithinLimits(v, depth + 1)) return false;
        return true;
      }
      for (const k in value) if (!isWithinLimits((value as Record<string, unknown>)[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

function violationsOf(value: unknown, path: string, depth: number): FieldViolation[] {
  if (depth > LIMITS.maxDepth) return [{ path, message: `is nested deeper than ${LIMITS.maxDepth} levels` }];
  switch (typeof value) {
    case 'string':
      return value.length > LIMITS.maxStringLength ? [{ path, message: `is longer than ${LIMITS.maxStringLength} characters` }] : [];
    case 'number':
      if (!Number.isFinite(value)) return [{ path, message: 'must be a finite number' }];
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        return [{ path, message: 'is an integer beyond ±2^53 that JSON cannot carry exactly; send it as a string' }];
      }
      return [];
    case 'boolean':
      return [];
    case 'object': {
      if (value === null) return [];
      if (Array.isArray(value)) return value.flatMap((v, i) => violationsOf(v, `${path}[${i}]`, depth + 1));
      return Object.entries(value).flatMap(([k, v]) => violationsOf(v, `${path}.${k}`, depth + 1));
    }
    default:
      return [{ path, message: 'is not a JSON value' }];
  }
}
