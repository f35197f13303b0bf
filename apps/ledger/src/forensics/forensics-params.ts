import { CHANGE_STATUSES, ChangeStatus, EXCEPTION_RULES } from '@evidence-ledger/core';
import { HttpProblem } from '../http/http-problem';

// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

function invalid(name: string, message: string): HttpProblem {
  return new HttpProblem(400, 'INVALID_QUERY', `"${name}" ${message}`, [{ path: name, message }]);
}

// A change id from the path (URL-encoded by the client: `github.com%2Facme%2Fpay%23482`) or
// the query: 1–1024 characters, no control characters — the catalog's limit.
export function changeIdParam(value: unknown, name = 'changeId'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024 || CONTROL.test(value))
    throw invalid(name, 'must be a change id of 1 to 1024 characters without control characters');
  return value;
}

export function optionalChangeIdParam(value: unknown, name: string): string | undefined {
  return value === undefined || value === '' ? undefined : changeIdParam(value, name);
}

export function booleanParam(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(name, 'must be true or false');
}

export function statusParam(value: unknown): ChangeStatus | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !(CHANGE_STATUSES as readonly string[]).includes(value))
    throw invalid('status', `must be one of ${CHANGE_STATUSES.join(', ')}`);
  return value as ChangeStatus;
}

export function ruleParam(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !EXCEPTION_RULES.some((r) => r.id === value))
    throw invalid('rule', `must be one of ${EXCEPTION_RULES.map((r) => r.id).join(', ')}`);
  return value;
}
