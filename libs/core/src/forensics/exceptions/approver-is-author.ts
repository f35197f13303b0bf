import { ExceptionRule } from './exception-rule';

// At `review.decision.recorded` with decision `approve`: the approver is the change's author
// (as far as the log knows the author at that moment).
export const approverIsAuthor: ExceptionRule = {
  id: 'approver-is-author',
  title: 'Approver is the author',
  evaluate({ entry, changes }) {
    if (entry.type !== 'review.decision.recorded' || entry.data.decision !== 'approve') return [];
    const subject = (entry.data.approver as { subject?: unknown } | undefined)?.subject;
    return changes
      .filter((c) => c.author !== undefined && c.author.id === subject)
      .map((c) => ({
        rule: 'approver-is-author' as const,
        changeId: c.changeId,
        reason: `${String(subject)} approved a change they wrote`,
        details: { approver: subject, checkpoint: entry.data.checkpoint ?? null },
      }));
  },
};
