import { RFC3339 } from '@evidence-ledger/core';
import { PayloadReader } from '../payload-reader';

/** An event a mapper made of a delivery, without `specversion` and `id` (derived from the delivery). */
export interface GithubFact {
  readonly source: string;
  readonly type: string;
  readonly [attribute: string]: unknown;
}

/** A delivery the ledger does not record, and why (never payload text). */
export class Ignored {
  constructor(readonly reason: string) {}
}

/** A fact, a reason to pass the delivery over, or undefined when fields are missing (named in the reader). */
export type MapperResult = GithubFact | Ignored | undefined;

export type GithubMapper = (delivery: PayloadReader) => MapperResult;

export const GIT_COMMIT = { max: 40, pattern: /^[0-9a-f]{40}$/, hint: 'must be a full 40-hex-digit commit SHA' } as const;

export const TIMESTAMP = { max: 40, pattern: RFC3339, hint: 'must be an RFC 3339 timestamp' } as const;

export const ignored = (reason: string): Ignored => new Ignored(reason);

/** An action name fit to repeat in a reply (never free text from the payload). */
export function actionName(action: string | undefined): string {
  return action !== undefined && /^[a-z_]{1,64}$/.test(action) ? `"${action}"` : '(unnamed)';
}
