import { applyDecorators } from '@nestjs/common';
import { registerDecorator, ValidateIf } from 'class-validator';
import { plainDataCondition } from './plain-data-condition';

export const REQUIRED_UNLESS = 'requiredUnless';

// One of two fields must be present (e.g. a task's summary or its description digest).
// The field is validated when present, or when `other` is absent — then it is missing and
// reported as "is required unless <other> is given". JSON Schema states the same rule with a
// class-level `anyOf` of `required` lists.
export function RequiredUnless(other: string): PropertyDecorator {
  const present = (object: object, name: string) => (object as Record<string, unknown>)[name] !== undefined;
  return applyDecorators(
    ValidateIf(plainDataCondition((object: object, value: unknown) => value !== undefined || !present(object, other))),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: REQUIRED_UNLESS,
        target: target.constructor,
        propertyName: propertyName as string,
        constraints: [other],
        validator: {
          validate: (value: unknown) => value !== undefined,
          defaultMessage: () => `is required unless ${other} is given`,
        },
      }),
  );
}
