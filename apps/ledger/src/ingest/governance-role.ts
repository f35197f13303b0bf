import {
  EventEnvelope,
  EXCEPTION_RESPONSE_TYPE,
  FieldViolation,
  isGovernanceEventType,
  isGovernanceRole,
  PRODUCER_ROLE_ATTRIBUTE,
} from '@evidence-ledger/core';
import { HttpProblem } from '../http/http-problem';
import { Principal } from '../auth/principal';

// Segregation of duties at the edge: the services judged by the governance settings (producer
// keys) can neither change them nor answer the exceptions they raise; an admin key records
// governance events (settings, exception responses) and nothing else (producer facts come from
// producers). The `producerrole` attribute, when sent, must be the key's own role, and is
// stamped on every governance event accepted, so the entry itself records that a governance
// role recorded it (the forensics honour nothing else). Refuses the whole batch.
export function authorizeEventRoles(envelopes: readonly EventEnvelope[], principal: Principal, at: (i: number) => string): EventEnvelope[] {
  const path = (i: number, field: string) => `${at(i)}${at(i) ? '.' : ''}${field}`;
  const governance = isGovernanceRole(principal.role);
  const denied: FieldViolation[] = [];
  const misplaced: FieldViolation[] = [];
  envelopes.forEach((e, i) => {
    const declared = e[PRODUCER_ROLE_ATTRIBUTE];
    if (declared !== undefined && declared !== principal.role) {
      denied.push({ path: path(i, PRODUCER_ROLE_ATTRIBUTE), message: `must be this API key's role ("${principal.role}") or left out` });
    }
    if (isGovernanceEventType(e.type) && !governance) {
      denied.push({
        path: path(i, 'type'),
        message:
          e.type === EXCEPTION_RESPONSE_TYPE
            ? `exception responses need an admin key; a ${principal.role} key may not record them`
            : `governance settings need an admin key; a ${principal.role} key may not change them`,
      });
    }
    if (governance && !isGovernanceEventType(e.type)) {
      misplaced.push({
        path: path(i, 'type'),
        message: `an ${principal.role} key records governance settings and exception responses only; use a producer key`,
      });
    }
  });
  if (denied.length > 0) {
    throw new HttpProblem(
      403,
      'GOVERNANCE_ROLE_REQUIRED',
      'the batch records governance events (settings, exception responses) or claims a role this API key does not have; nothing was written',
      denied,
    );
  }
  if (misplaced.length > 0)
    throw new HttpProblem(
      403,
      'FORBIDDEN',
      'an admin key records governance settings and exception responses only; nothing was written',
      misplaced,
    );
  return envelopes.map((e) =>
    isGovernanceEventType(e.type) && e[PRODUCER_ROLE_ATTRIBUTE] === undefined ? { ...e, [PRODUCER_ROLE_ATTRIBUTE]: principal.role } : e,
  );
}
