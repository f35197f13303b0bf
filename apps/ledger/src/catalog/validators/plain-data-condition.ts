/** A `@ValidateIf` condition: validate the field only when it returns true. */
export type ValidateIfCondition = (object: object, value: unknown) => boolean;

const PLAIN_DATA_CONDITIONS = new WeakSet<ValidateIfCondition>();

// Marks a condition that reads nothing but field values (`value`, `object[name]`), so it
// decides the same on the producer's JSON as on the class instance class-transformer builds
// from it. The fast path (`../fast-data-validators.ts`) trusts no other `@ValidateIf`.
export function plainDataCondition(condition: ValidateIfCondition): ValidateIfCondition {
  PLAIN_DATA_CONDITIONS.add(condition);
  return condition;
}

export function isPlainDataCondition(condition: unknown): boolean {
  return typeof condition === 'function' && PLAIN_DATA_CONDITIONS.has(condition as ValidateIfCondition);
}
