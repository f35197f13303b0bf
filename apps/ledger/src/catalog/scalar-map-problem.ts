export interface ScalarMapLimits {
  readonly maxEntries: number;
  readonly maxKeyLength: number;
  readonly maxStringLength: number;
}

// Characters as JSON Schema's `maxLength` counts them (code points): an emoji is one, not
// two UTF-16 units.
const SURROGATE = /[\uD800-\uDFFF]/;
function characters(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * What is wrong with a scalar map (a flat object of string, number and boolean values under
 * open keys, e.g. model parameters), in one sentence naming the first offending key, or
 * `undefined` when nothing is. The schema decides; this words it.
 */
export function scalarMapProblem(value: unknown, limits: ScalarMapLimits): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object';
  const entries = Object.entries(value);
  if (entries.length > limits.maxEntries) return `must hold at most ${limits.maxEntries} entries`;
  for (const [key, v] of entries) {
    if (key.length === 0 || characters(key) > limits.maxKeyLength)
      return `has a key "${key.slice(0, 40)}" that is empty or longer than ${limits.maxKeyLength} characters`;
    if (typeof v === 'string') {
      if (characters(v) > limits.maxStringLength) return `has a value at "${key}" longer than ${limits.maxStringLength} characters`;
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return `has a non-finite number at "${key}"`;
    } else if (typeof v !== 'boolean') {
      return `has a value at "${key}" that is not a string, number or boolean`;
    }
  }
  return undefined;
}
