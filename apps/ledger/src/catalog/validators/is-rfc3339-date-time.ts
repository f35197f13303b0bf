import { applyDecorators } from '@nestjs/common';
import { RFC3339 } from '@evidence-ledger/core';
import { IsString, Matches } from 'class-validator';

// The same RFC 3339 form as the envelope's `time`, offset mandatory.
export function IsRfc3339DateTime(): PropertyDecorator {
  return applyDecorators(
    IsString({ message: 'must be a string' }),
    Matches(RFC3339, { message: 'must be an RFC 3339 date-time with an offset, e.g. "2026-07-01T00:00:00Z"' }),
  );
}
