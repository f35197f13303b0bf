import { applyDecorators } from '@nestjs/common';
import { IsString, MaxLength, MinLength, ValidationOptions } from 'class-validator';

// A non-empty string of at most `maxLength` UTF-16 code units. Every string of a typed
// event has a cap well under the generic 64 KiB, so one field cannot crowd out the rest.
export function IsBoundedText(maxLength: number, options: Pick<ValidationOptions, 'each'> = {}): PropertyDecorator {
  return applyDecorators(
    IsString({ ...options, message: 'must be a string' }),
    MinLength(1, { ...options, message: 'must not be empty' }),
    MaxLength(maxLength, { ...options, message: `must be at most ${maxLength} characters` }),
  );
}
