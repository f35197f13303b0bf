import { LEDGER_EVENT_TYPES, LedgerError, Receipt } from '@evidence-ledger/core';
import { CredentialStore } from '@evidence-ledger/store';
import { Ledger } from '../ledger';
import { digestApiKey, generateApiKey } from './api-key-secret';
import { IssuedApiKey, issueApiKey } from './issue-api-key';

/** Longest reason a break-glass entry records. */
export const MAX_BREAK_GLASS_REASON = 1000;

export interface BreakGlassRequest {
  readonly tenant: string;
  /** Who ran it (an operator's name or login): recorded in the log. */
  readonly operator: string;
  /** Why: recorded in the log. */
  readonly reason: string;
}

export interface BreakGlassKey {
  readonly issued: IssuedApiKey;
  /** The receipt of the `ledger.api-key.break-glass` entry that records the issuance. */
  readonly receipt: Receipt;
}

// Issues a new admin key for a tenant that has none left (an admin revoked its own), by an
// operator with access to the store and the signing key. The issuance is recorded in the
// tenant's log first — key id, operator, reason — and only then is the key stored: a key that
// exists without its log entry is what the log must never allow.
export async function issueBreakGlassKey(ledger: Ledger, store: CredentialStore, request: BreakGlassRequest): Promise<BreakGlassKey> {
  const operator = request.operator.trim();
  const reason = request.reason.trim();
  if (operator === '') throw new RangeError('the operator must be named');
  if (reason === '') throw new RangeError('a reason is required: it is recorded in the log');
  if (reason.length > MAX_BREAK_GLASS_REASON) throw new RangeError(`the reason is at most ${MAX_BREAK_GLASS_REASON} characters`);
  if (!(await store.tenantExists(request.tenant))) throw new LedgerError('NOT_FOUND', `tenant ${request.tenant} does not exist`);
  const key = generateApiKey();
  const { id } = digestApiKey(key);
  const name = `break-glass admin (${operator})`;
  const { receipt } = await ledger.appendServerEvent(request.tenant, LEDGER_EVENT_TYPES.breakGlassKeyIssued, {
    keyId: id,
    role: 'admin',
    name,
    operator,
    reason,
  });
  const issued = await issueApiKey(store, { tenant: request.tenant, name, role: 'admin', key, createdBy: `break-glass:${operator}` });
  return { issued, receipt };
}
