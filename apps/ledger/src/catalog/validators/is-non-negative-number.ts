import { applyDecorators } from '@nestjs/common';
import { IsNumber, Max, Min } from 'class-validator';

// Amounts and durations (USD, milliseconds): finite, not negative, with a ceiling that
// catches unit mistakes (cents sent as dollars, nanoseconds as milliseconds).
export function IsNonNegativeNumber(max: number): PropertyDecorator {
  return applyDecorators(
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number' }),
    Min(0, { message: 'must not be negative' }),
    Max(max, { message: `must be at most ${max}` }),
  );
}
