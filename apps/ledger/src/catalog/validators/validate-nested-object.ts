import 'reflect-metadata';
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';

// A nested DTO. `@IsObject` is needed because `@ValidateNested` alone lets an array of
// valid objects through where one object is expected.
export function ValidateNestedObject(type: () => new () => object): PropertyDecorator {
  return applyDecorators(IsObject({ message: 'must be an object' }), ValidateNested({ message: 'must be an object' }), Type(type));
}
