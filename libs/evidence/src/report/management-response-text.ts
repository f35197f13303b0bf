import { TestException } from '@evidence-ledger/core';

/**
 * Management's response to an exception in the report's words: status, owner, due date, root
 * cause and remediation, the entry that records it, and whether it came before or after the
 * period ended (a response recorded after the period is still in the pack, proven).
 */
export function managementResponseText(x: TestException): string {
  const r = x.managementResponse;
  const at = x.sequence < 0 ? x.rule : `entry ${x.sequence} (${x.rule})`;
  if (!r) return `Management response to ${at}: none recorded.`;
  return [
    `Management response to ${at}: ${r.status}; owner ${r.owner}; due ${r.dueDate}.`,
    `Root cause: ${r.rootCause}`,
    `Remediation: ${r.remediation}`,
    `Recorded at entry ${r.sequence} (event ${r.eventId}) on ${r.recordedAt}, ${r.recordedAfterPeriodEnd ? 'after' : 'before'} the period ended.`,
  ].join('\n');
}

/**
 * A control's management response in one line, for its workpaper and its OSCAL observation:
 * how many of its exceptions management answered, and each answer's status, owner, due date
 * and whether it came after the period (the full text is under the exceptions).
 */
export function controlResponseSummary(exceptions: readonly TestException[]): string {
  if (exceptions.length === 0) return 'none needed: no exception';
  const answered = exceptions.filter((x) => x.managementResponse !== undefined);
  if (answered.length === 0) return 'none recorded';
  return `${answered.length} of ${exceptions.length} exceptions answered: ${answered
    .map((x) => {
      const r = x.managementResponse!;
      return `entry ${x.sequence} (${x.rule}) ${r.status}, owner ${r.owner}, due ${r.dueDate}, recorded ${r.recordedAfterPeriodEnd ? 'after' : 'before'} the period ended`;
    })
    .join('; ')}`;
}
