import { ControlResult, ControlsReport, TestException } from '@evidence-ledger/core';

const NS = 'https://evidence-ledger.dev/ns/oscal';

// OSCAL risk states for management's remediation statuses.
const RISK_STATUS: Readonly<Record<string, string>> = {
  open: 'open',
  'in-progress': 'remediating',
  remediated: 'closed',
  'risk-accepted': 'deviation-approved',
};

/**
 * One OSCAL risk per control exception management responded to (an exception several
 * controls share is one risk), with the response as its remediation: root cause as the
 * statement, the due date as the deadline, owner, status and the response's entry as props.
 * Each finding relates to the risks of its exceptions (`related-risks`).
 */
export function responseRisks(
  report: ControlsReport,
  id: (name: string) => string,
): { risks: Record<string, unknown>[]; relatedRisks: (c: ControlResult) => { 'risk-uuid': string }[] } {
  const keyOf = (x: TestException) => `${x.sequence} ${x.rule}`;
  const risks = new Map<string, Record<string, unknown>>();
  for (const c of report.controls)
    for (const x of c.exceptions) {
      const r = x.managementResponse;
      if (!r || risks.has(keyOf(x))) continue;
      const riskId = id(`risk ${keyOf(x)}`);
      risks.set(keyOf(x), {
        uuid: riskId,
        title: `Exception ${x.rule} at entry ${x.sequence}`,
        description: x.reason,
        statement: r.rootCause,
        props: [
          { name: 'exception-rule', ns: NS, value: x.rule },
          { name: 'exception-sequence', ns: NS, value: String(x.sequence) },
          { name: 'response-status', ns: NS, value: r.status },
          { name: 'response-owner', ns: NS, value: r.owner },
          { name: 'response-event-id', ns: NS, value: r.eventId },
          { name: 'response-sequence', ns: NS, value: String(r.sequence) },
          { name: 'response-recorded-at', ns: NS, value: r.recordedAt },
          { name: 'recorded-after-period-end', ns: NS, value: String(r.recordedAfterPeriodEnd) },
        ],
        status: RISK_STATUS[r.status] ?? 'open',
        deadline: r.dueDate,
        remediations: [
          {
            uuid: id(`remediation ${keyOf(x)}`),
            lifecycle: r.status === 'remediated' ? 'completed' : 'planned',
            title: `Management response (${r.status}), owner ${r.owner}`,
            description: r.remediation,
            remarks: `Recorded at entry ${r.sequence} (${r.eventId}) at ${r.recordedAt}, ${r.recordedAfterPeriodEnd ? 'after' : 'before'} the period ended.`,
          },
        ],
      });
    }
  const relatedRisks = (c: ControlResult) =>
    [...new Set(c.exceptions.filter((x) => x.managementResponse).map((x) => (risks.get(keyOf(x)) as { uuid: string }).uuid))].map(
      (uuid) => ({ 'risk-uuid': uuid }),
    );
  return { risks: [...risks.values()], relatedRisks };
}
