import { mergeApprovals } from '../change-approvals';
import { ExceptionRule } from './exception-rule';

// At `change.merged`: no standing approval of an approver independent of the author and of
// every agent that worked on the change, on the head commit, at a checkpoint other than deploy.
export const mergedWithoutIndependentApproval: ExceptionRule = {
  id: 'merged-without-independent-approval',
  title: 'Merged without an approval independent of author and agent',
  evaluate({ entry, changes }) {
    if (entry.type !== 'change.merged') return [];
    return changes
      .filter((c) => mergeApprovals(c).length === 0)
      .map((c) => ({
        rule: 'merged-without-independent-approval' as const,
        changeId: c.changeId,
        reason: `merged with no approval by anyone other than its author${c.agents.length ? ' and its agents' : ''}`,
        details: { author: c.author?.id ?? null, agents: c.agents, headCommit: c.headCommit ?? null, reviews: c.reviews.length },
      }));
  },
};
