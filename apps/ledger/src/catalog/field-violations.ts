import { FieldViolation } from '@evidence-ledger/core';
import type { ErrorObject } from 'ajv';
import { JsonSchema } from './catalog-schemas';
import { patternMessage } from './pattern-messages';
import { scalarMapProblem } from './scalar-map-problem';
import { MAX_TEXT_LENGTH, MIN_TEXT_LENGTH } from './text-length';

export const UNKNOWN_FIELD = 'is not a field of this event type; typed events reject unknown fields';

/**
 * Turns Ajv's errors for one event's `data` into the ledger's flat `{path, message}` list,
 * with JSON paths the producer can follow (`[3].data.findings.high`, `[0].data.commits[2]`)
 * and one message per path: the type (or the closed vocabulary) when the value has the wrong
 * one, otherwise each broken rule. Violations come in the order of the data: unknown fields
 * of an object first, then its fields in schema order, array items by index.
 */
export function toFieldViolations(errors: readonly ErrorObject[], data: unknown, root: JsonSchema, path: string): FieldViolation[] {
  const found: Found[] = [];
  for (const error of errors) {
    const target = locate(error, data, root, path);
    const message = target.scalarMap ? scalarMapMessage(target) : messageOf(error, target);
    if (message !== undefined) found.push({ ...target, message, rank: RANK[error.keyword] ?? OTHER });
  }
  return worthReading(found).map(({ path: at, message }) => ({ path: at, message }));
}

/** `parent.field`, or just `field` at the root (`path` = ''), as the core's envelope paths read. */
export function fieldPath(parent: string, field: string): string {
  return parent ? `${parent}.${field}` : field;
}

interface Target {
  readonly path: string;
  /** Position of the path in the data, for ordering: one number per step. */
  readonly order: readonly number[];
  /** The (resolved) schema of the parent object, when the path names one of its fields. */
  readonly parent?: JsonSchema;
  readonly value: unknown;
  /** The error lies in a scalar map, which answers for itself with one message. */
  readonly scalarMap?: JsonSchema;
}

interface Found extends Target {
  readonly message: string;
  readonly rank: number;
}

// A value of the wrong type breaks every later rule too; only the type is worth reading then.
// A closed vocabulary names the accepted values, which says more than their type.
const RANK: Readonly<Record<string, number>> = { enum: 0, type: 1 };
const OTHER = 2;

function worthReading(found: Found[]): Found[] {
  const best = new Map<string, number>();
  for (const f of found) best.set(f.path, Math.min(best.get(f.path) ?? OTHER, f.rank));
  const seen = new Set<string>();
  return found
    .filter((f) => f.rank === best.get(f.path))
    .filter((f) => !seen.has(`${f.path}\n${f.message}`) && seen.add(`${f.path}\n${f.message}`))
    .map((f, i) => ({ f, i }))
    .sort((a, b) => compareOrder(a.f.order, b.f.order) || a.i - b.i)
    .map(({ f }) => f);
}

function compareOrder(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// Follows the error's instance path through the data and the schema: the path as the
// producer reads it, its place in the data, and where a scalar map takes over.
function locate(error: ErrorObject, data: unknown, root: JsonSchema, base: string): Target {
  const steps = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointer);
  if (error.keyword === 'required') steps.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') steps.push(String(error.params.additionalProperty));
  let path = base;
  let value = data;
  let schema: JsonSchema | undefined = resolve(root, root);
  let parent: JsonSchema | undefined;
  const order: number[] = [];
  for (const step of steps) {
    if (schema && isScalarMap(schema)) return { path, order, value, scalarMap: schema };
    if (Array.isArray(value)) {
      const index = Number(step);
      order.push(index);
      path = `${path}[${step}]`;
      value = value[index];
      parent = undefined;
      schema = schema?.items ? resolve(schema.items as JsonSchema, root) : undefined;
    } else {
      const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
      const declared = Object.prototype.hasOwnProperty.call(properties, step);
      order.push(declared ? Object.keys(properties).indexOf(step) + 1 : 0);
      path = fieldPath(path, step);
      value = isObject(value) && Object.prototype.hasOwnProperty.call(value, step) ? value[step] : undefined;
      parent = schema;
      schema = declared ? resolve(properties[step], root) : undefined;
    }
  }
  if (schema && isScalarMap(schema) && error.keyword !== 'required') return { path, order, value, scalarMap: schema };
  return { path: path || '$', order, parent, value };
}

function messageOf(error: ErrorObject, target: Target): string | undefined {
  const limit = error.params.limit as number;
  switch (error.keyword) {
    case 'required':
      return requiredMessage(error, target);
    case 'additionalProperties':
      return UNKNOWN_FIELD;
    case 'type':
      return TYPE_MESSAGES[String(error.params.type)] ?? `must be of type ${String(error.params.type)}`;
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case MIN_TEXT_LENGTH:
      return limit === 1 ? 'must not be empty' : `must be at least ${limit} characters`;
    case MAX_TEXT_LENGTH:
      return `must be at most ${limit} characters`;
    case 'pattern':
      return patternMessage(String(error.params.pattern));
    case 'minimum':
      return limit === 0 ? 'must not be negative' : `must be at least ${limit}`;
    case 'maximum':
      return `must be at most ${limit}`;
    case 'minItems':
      return `must hold at least ${limit} item${limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must hold at most ${limit} items`;
    case 'anyOf':
      return undefined; // its branches say what is missing
    default:
      return error.message;
  }
}

const TYPE_MESSAGES: Readonly<Record<string, string>> = {
  string: 'must be a string',
  integer: 'must be an integer',
  number: 'must be a number',
  boolean: 'must be true or false',
  object: 'must be an object',
  array: 'must be an array',
};

// "One of these fields" is an `anyOf` of `required` lists: a missing field is required
// unless one of the other branches' fields is given.
function requiredMessage(error: ErrorObject, target: Target): string {
  if (!error.schemaPath.includes('/anyOf/') || !target.parent) return 'is required';
  const missing = String(error.params.missingProperty);
  const others = ((target.parent.anyOf ?? []) as JsonSchema[])
    .flatMap((branch) => (branch.required ?? []) as string[])
    .filter((name) => name !== missing);
  return others.length > 0 ? `is required unless ${others.join(' or ')} is given` : 'is required';
}

function scalarMapMessage({ scalarMap, value }: Target): string {
  const propertyNames = (scalarMap?.propertyNames ?? {}) as JsonSchema;
  const values = (scalarMap?.additionalProperties ?? {}) as JsonSchema;
  const limits = {
    maxEntries: (scalarMap?.maxProperties as number) ?? Infinity,
    maxKeyLength: (propertyNames.maxLength as number) ?? Infinity,
    maxStringLength: (values.maxLength as number) ?? Infinity,
  };
  return scalarMapProblem(value, limits) ?? 'must be a flat object of strings, numbers and booleans';
}

// A flat object of scalars under open keys (e.g. model parameters).
function isScalarMap(schema: JsonSchema): boolean {
  return schema.type === 'object' && typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null;
}

// The schema behind a `$ref` to the document's definitions, or a description wrapped around one.
function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (;;) {
    if (typeof current.$ref === 'string' && current.$ref.startsWith('#/definitions/')) {
      current = ((root.definitions ?? {}) as Record<string, JsonSchema>)[current.$ref.slice('#/definitions/'.length)] ?? {};
    } else if (Array.isArray(current.allOf) && current.allOf.length === 1 && current.type === undefined) {
      current = current.allOf[0] as JsonSchema;
    } else {
      return current;
    }
  }
}

function unescapePointer(step: string): string {
  return step.replace(/~1/g, '/').replace(/~0/g, '~');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
