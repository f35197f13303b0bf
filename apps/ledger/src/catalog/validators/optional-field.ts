import { ValidateIf } from 'class-validator';
import { plainDataCondition } from './plain-data-condition';

// A field the producer may leave out. Unlike `@IsOptional()`, an explicit `null` is still
// validated (and rejected): the JSON Schemas say "absent or valid", and a stored `null`
// would read as a value to an auditor.
export function OptionalField(): PropertyDecorator {
  return ValidateIf(plainDataCondition((_object: object, value: unknown) => value !== undefined));
}
