import { FieldViolation } from '@evidence-ledger/core';
import {
  getMetadataStorage,
  IS_ARRAY,
  IS_BOOLEAN,
  IS_IN,
  IS_INT,
  IS_NUMBER,
  IS_OBJECT,
  IS_STRING,
  ValidationArguments,
  ValidationError,
  ValidationTypes,
} from 'class-validator';
import { REQUIRED_UNLESS } from './validators';

export const UNKNOWN_FIELD = 'is not a field of this event type; typed events reject unknown fields';

// Turns class-validator's error tree into the ledger's flat `{path, message}` list, with
// JSON paths the producer can follow: `[3].data.findings.high`, `[0].data.commits[2]`.
// Messages drop the leading property name ("tokensIn must …" → "must …"): the path says it.
export function toFieldViolations(errors: readonly ValidationError[], path: string, parentIsArray = false): FieldViolation[] {
  return errors.flatMap((error) => {
    const at = error.property === undefined ? path : parentIsArray ? `${path}[${error.property}]` : fieldPath(path, error.property);
    // Children of a value that is not even an object or array are noise ("[0] must be an object").
    const wrongShape = IS_OBJECT in (error.constraints ?? {}) || IS_ARRAY in (error.constraints ?? {});
    const children = wrongShape ? [] : toFieldViolations(error.children ?? [], at, Array.isArray(error.value));
    return [...ownViolations(error, at), ...children];
  });
}

// A value of the wrong type fails every check after the type check too ("must be a string",
// "must not be empty", …); only the type error is worth reading then.
const TYPE_CHECKS = new Set([IS_ARRAY, IS_OBJECT, IS_STRING, IS_INT, IS_NUMBER, IS_BOOLEAN, IS_IN, ValidationTypes.NESTED_VALIDATION]);

function ownViolations(error: ValidationError, at: string): FieldViolation[] {
  const constraints = error.constraints ?? {};
  if (Object.keys(constraints).length === 0) return [];
  if (ValidationTypes.WHITELIST in constraints) return [{ path: at, message: UNKNOWN_FIELD }];
  if (error.value === undefined) return [{ path: at, message: constraints[REQUIRED_UNLESS] ?? 'is required' }];
  const whole: Failure[] = [];
  const byItem = new Map<number, Failure[]>();
  for (const [name, message] of Object.entries(constraints)) {
    const failure: Failure = { name, message: withoutSubject(message, error.property) };
    const items = Array.isArray(error.value) ? failingItems(error, name) : undefined;
    if (items) items.forEach((i) => byItem.set(i, [...(byItem.get(i) ?? []), failure]));
    else whole.push(failure);
  }
  const wholeViolations = worthReading(whole).map((f) => ({ path: at, message: f.message }));
  if (whole.some((f) => f.name === IS_ARRAY)) return wholeViolations;
  const itemViolations = [...byItem.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([i, failures]) => worthReading(failures).map((f) => ({ path: `${at}[${i}]`, message: f.message })));
  return [...wholeViolations, ...itemViolations];
}

interface Failure {
  readonly name: string;
  readonly message: string;
}

function worthReading(failures: Failure[]): Failure[] {
  const typeFailure = failures.find((f) => TYPE_CHECKS.has(f.name));
  if (typeFailure) return [typeFailure];
  const seen = new Set<string>();
  return failures.filter((f) => !seen.has(f.message) && seen.add(f.message));
}

// class-validator reports an `{ each: true }` check once for the whole array; re-run that
// one check item by item to name the offending indexes.
function failingItems(error: ValidationError, constraintName: string): number[] | undefined {
  const target = error.target;
  if (!target) return undefined;
  const storage = getMetadataStorage();
  for (const meta of storage.getTargetValidationMetadatas(target.constructor, '', true, false)) {
    if (meta.propertyName !== error.property || !meta.each || !meta.constraintCls) continue;
    for (const constraint of storage.getTargetValidatorConstraints(meta.constraintCls)) {
      if ((constraint.name ?? meta.type) !== constraintName) continue;
      const items = error.value as unknown[];
      const args: ValidationArguments = {
        value: items,
        constraints: meta.constraints,
        targetName: target.constructor.name,
        object: target,
        property: error.property,
      };
      const failing = items.flatMap((item, i) => (constraint.instance.validate(item, args) ? [] : [i]));
      if (failing.length > 0) return failing;
    }
  }
  return undefined;
}

/** `parent.field`, or just `field` at the root (`path` = ''), as the core's envelope paths read. */
export function fieldPath(parent: string, field: string): string {
  return parent ? `${parent}.${field}` : field;
}

function withoutSubject(message: string, property: string): string {
  for (const prefix of [`each value in ${property} `, `${property} `]) if (message.startsWith(prefix)) return message.slice(prefix.length);
  return message;
}
