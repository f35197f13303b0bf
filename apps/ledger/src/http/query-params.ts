import { HttpProblem } from './http-problem';

// Query-string integers, checked strictly: "12abc", "1e3", "-1" and "" are refused with a
// message naming the parameter, instead of being coerced.
export function integerParam(
  value: unknown,
  name: string,
  opts: { min?: number; max?: number; required?: boolean } = {},
): number | undefined {
  if (value === undefined || value === '') {
    if (opts.required) throw invalid(name, 'is required');
    return undefined;
  }
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value)) throw invalid(name, 'must be a non-negative integer');
  const n = Number(value);
  if (!Number.isSafeInteger(n) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
    throw invalid(name, `must be between ${opts.min ?? 0} and ${opts.max ?? Number.MAX_SAFE_INTEGER}`);
  }
  return n;
}

export function stringParam(value: unknown, name: string, max = 1024): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > max) throw invalid(name, `must be a single string of at most ${max} characters`);
  return value;
}

export function timeParam(value: unknown, name: string): string | undefined {
  const s = stringParam(value, name, 40);
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(s) || Number.isNaN(t)) throw invalid(name, 'must be an RFC 3339 time');
  return new Date(t).toISOString();
}

function invalid(name: string, message: string): HttpProblem {
  return new HttpProblem(400, 'INVALID_QUERY', `query parameter "${name}" ${message}`, [{ path: name, message }]);
}
