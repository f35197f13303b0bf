import { FieldViolation } from '@evidence-ledger/core';

/** An RFC 9457 problem details body, as every error of the API is sent. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly errors?: readonly FieldViolation[];
  /** For a failure of the server or the store: the id of the log line that tells the cause. */
  readonly errorId?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `urn:evidence-ledger:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}
