import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';

// An array with an explicit size range; pair it with an `{ each: true }` check for the items.
export function IsBoundedArray(range: { min?: number; max: number }): PropertyDecorator {
  const min = range.min ?? 0;
  return applyDecorators(
    IsArray({ message: 'must be an array' }),
    ...(min > 0 ? [ArrayMinSize(min, { message: `must hold at least ${min} item${min === 1 ? '' : 's'}` })] : []),
    ArrayMaxSize(range.max, { message: `must hold at most ${range.max} items` }),
  );
}
