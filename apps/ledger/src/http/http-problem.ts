import { FieldViolation } from '@evidence-ledger/core';

/** An error raised at the HTTP edge itself (auth, media type, limits): status and code fixed here. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: readonly FieldViolation[],
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}
