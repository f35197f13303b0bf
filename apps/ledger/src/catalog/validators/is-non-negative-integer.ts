import { applyDecorators } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';

// Counts (tokens, findings): whole, not negative, and within ±2^53 so that the canonical
// JSON carries them exactly (RFC 7493 §2.2).
export function IsNonNegativeInteger(max: number = Number.MAX_SAFE_INTEGER): PropertyDecorator {
  return applyDecorators(
    IsInt({ message: 'must be an integer' }),
    Min(0, { message: 'must not be negative' }),
    Max(max, { message: `must be at most ${max}` }),
  );
}
