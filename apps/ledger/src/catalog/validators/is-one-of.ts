import { IsIn } from 'class-validator';

// A closed vocabulary; the message lists the accepted values so producers can fix a typo.
export function IsOneOf(values: readonly string[]): PropertyDecorator {
  return IsIn([...values], { message: `must be one of ${values.map((v) => `"${v}"`).join(', ')}` });
}
