import { ValidationError } from 'class-validator';
import { FieldViolation } from '@evidence-ledger/core';

// Flattens class-validator's error tree into field paths (`scope.paths[2]`) and messages.
export function validationViolations(errors: readonly ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((e) => {
    const path = /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...validationViolations(e.children ?? [], path)];
  });
}
