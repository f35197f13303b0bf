import { registerDecorator, ValidationArguments } from 'class-validator';

export interface ScalarMapLimits {
  readonly maxEntries: number;
  readonly maxKeyLength: number;
  readonly maxStringLength: number;
}

export const IS_SCALAR_MAP = 'isScalarMap';

// A flat object of string, number and boolean values (e.g. model parameters): open keys,
// but no nesting, so it stays comparable across events and cannot smuggle a payload.
export function IsScalarMap(limits: ScalarMapLimits): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: IS_SCALAR_MAP,
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [limits],
      validator: {
        validate: (value: unknown) => scalarMapProblem(value, limits) === undefined,
        defaultMessage: (args: ValidationArguments) => scalarMapProblem(args.value, limits) ?? '',
      },
    });
}

// Characters as JSON Schema's `maxLength` counts them (code points), so the published schema
// and the service draw the line at the same place: an emoji is one, not two UTF-16 units.
const SURROGATE = /[\uD800-\uDFFF]/;
function characters(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

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

// JSON Schema for the same rule (class-validator-jsonschema converter).
export function scalarMapJsonSchema(limits: ScalarMapLimits): Record<string, unknown> {
  return {
    type: 'object',
    maxProperties: limits.maxEntries,
    propertyNames: { minLength: 1, maxLength: limits.maxKeyLength },
    additionalProperties: { type: ['string', 'number', 'boolean'], maxLength: limits.maxStringLength },
  };
}
