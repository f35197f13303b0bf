import { ChangeState, ReviewDecision } from './change-state';

/**
 * Whether a person approving the change is independent of it: neither its author nor one of
 * the AI agents that worked on it. Identities compare as the IdP subject / agent id strings
 * the producers recorded.
 */
export function isIndependentApprover(state: ChangeState, subject: string): boolean {
  return subject !== state.author?.id && !state.agents.includes(subject);
}

// Each approver's latest decision per checkpoint (a later reject withdraws an approval),
// among the reviews `counts` accepts, keeping the approvals.
function standingApprovals(state: ChangeState, counts: (r: ReviewDecision) => boolean): ReviewDecision[] {
  const latest = new Map<string, ReviewDecision>();
  for (const r of state.reviews) if (counts(r)) latest.set(`${r.checkpoint}\n${r.approver.subject}`, r);
  return [...latest.values()].filter((r) => r.decision === 'approve');
}

/**
 * Approvals that let the change merge: the standing `approve` of an independent approver at
 * any checkpoint but `deploy`, made on the change's head commit (or naming no commit — an
 * approval of an older commit does not cover commits pushed after it).
 */
export function mergeApprovals(state: ChangeState): ReviewDecision[] {
  return standingApprovals(
    state,
    (r) =>
      r.checkpoint !== 'deploy' &&
      isIndependentApprover(state, r.approver.subject) &&
      (r.commit === undefined || state.headCommit === undefined || r.commit === state.headCommit),
  );
}

/** Approvals that let the change be deployed: the standing `approve` of an independent approver at `deploy`. */
export function deployApprovals(state: ChangeState): ReviewDecision[] {
  return standingApprovals(state, (r) => r.checkpoint === 'deploy' && isIndependentApprover(state, r.approver.subject));
}
