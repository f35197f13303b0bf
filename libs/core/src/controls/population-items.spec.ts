import { assessControls, PackSubject } from './control-engine';
import { MergeFact, PopulationFacts } from './population-facts';
import { EvidenceTemplate } from './template';
import { PackInputs } from './test-kinds';

const ref = (sequence: number) => ({ sequence, eventId: `ev-${sequence}`, leafHash: sequence.toString(16).padStart(64, '0') });
const at = (sequence: number) => new Date(Date.UTC(2026, 9, 1, 9) + sequence * 1000).toISOString();
const subject: PackSubject = {
  tenant: 'acme',
  period: { from: '2026-10-01T00:00:00.000Z', to: '2026-10-02T00:00:00.000Z' },
  scope: { repositories: ['github.com/acme/pay'] },
  checkpoint: { origin: 'ledger.test/acme', treeSize: 60, rootHash: Buffer.alloc(32, 3).toString('base64') },
  entries: { start: 0, end: 50 },
};
const inputs: PackInputs = { logIntegrity: { verified: true, entries: 50 }, retention: { days: 400, locked: true, archive: 's3' } };
const template: EvidenceTemplate = {
  framework: 'acme',
  title: 'ACME',
  version: '1',
  retention: { days: 400 },
  controls: [
    {
      id: 'CHG',
      title: 'Change management',
      objective: 'o',
      evidence: { eventTypes: ['change.merged'] },
      tests: [{ kind: 'independent-approval-before-merge' }, { kind: 'deploy-approved' }],
      sampling: { size: 2 },
    },
    {
      id: 'LOG',
      title: 'Log integrity',
      objective: 'o',
      evidence: { eventTypes: [], ledger: ['signed-checkpoint'] },
      tests: [{ kind: 'log-integrity-verified' }],
    },
  ],
};
const merge = (sequence: number, over: Partial<MergeFact> = {}): MergeFact => ({
  ...ref(sequence),
  recordedAt: at(sequence),
  changeId: `c#${sequence}`,
  aiGenerated: false,
  author: 'alice',
  scans: [],
  policyDecisions: 1,
  reviews: [{ checkpoint: 'merge', decision: 'approve', approver: 'bob', independent: true, sequence: sequence - 1 }],
  approvals: [{ approver: 'bob', checkpoint: 'merge', recordedAt: at(sequence - 1) }],
  ...over,
});
const facts: PopulationFacts = {
  entries: 40,
  findings: [
    // Found at the review (sequence 19), not at the merge: it counts against change c#20's merge.
    { rule: 'approver-is-author', ...ref(19), changeId: 'c#20', reason: 'alice approved her own change', recordedAt: at(19) },
  ],
  merges: [
    merge(12),
    merge(20, {
      reviews: [{ checkpoint: 'merge', decision: 'approve', approver: 'alice', independent: false, sequence: 19 }],
      approvals: [],
    }),
    merge(30),
  ],
  deployments: [
    {
      ...ref(35),
      recordedAt: at(35),
      time: '2026-10-01T08:59:00Z',
      changeIds: ['c#12'],
      environment: 'production',
      aiGenerated: false,
      approvers: ['dave'],
    },
  ],
  modelCalls: [],
  agentActions: [],
  settingsUpdates: [],
  lateEntries: [],
};

describe('population items', () => {
  const { report, populations } = assessControls(template, facts, subject, inputs);
  const chg = report.controls[0];
  const table = populations[0];

  it("lists every item of a control's population with the attributes its tests examined and its result", () => {
    expect(table.columns).toEqual([
      'changeId',
      'author',
      'approvers',
      'approvedAt',
      'mergedAt',
      'otherApprovers',
      'environment',
      'changes',
      'deployApprovers',
    ]);
    expect(table.sequences).toEqual([12, 20, 30, 35]);
    expect(table.item(20)).toEqual({
      ...ref(20),
      type: 'change.merged',
      recordedAt: at(20),
      attributes: {
        changeId: 'c#20',
        author: 'alice',
        approvers: 'none',
        approvedAt: 'never',
        mergedAt: at(20),
        otherApprovers: 'alice at merge (not independent)',
      },
      result: 'exception',
      rules: ['approver-is-author'],
    });
    expect(table.item(35)).toEqual({
      ...ref(35),
      type: 'deployment.completed',
      recordedAt: at(35),
      time: '2026-10-01T08:59:00Z',
      attributes: { environment: 'production', changes: 'c#12', deployApprovers: 'dave' },
      result: 'pass',
    });
  });

  it('samples items from the population and states the deviation rates as numbers', () => {
    expect(chg.sample.size).toBe(2);
    expect(chg.sample.items.map((i) => i.sequence)).toEqual(chg.sample.items.map((i) => i.sequence).sort((a, b) => a - b));
    for (const item of chg.sample.items) expect(item).toEqual(table.item(item.sequence));
    const sampled = chg.sample.items.filter((i) => i.result === 'exception').length;
    expect(chg.deviationRate).toEqual({
      sample: { exceptions: sampled, size: 2, rate: sampled / 2 },
      population: { exceptions: 1, size: 4, rate: 0.25 },
    });
  });

  it('says how the population was selected and why it is complete', () => {
    expect(chg.selection).toBe(
      "independent-approval-before-merge: change.merged entries recorded (recordedAt, the ledger's clock) in [2026-10-01T00:00:00.000Z, 2026-10-02T00:00:00.000Z) of changes in the repositories github.com/acme/pay (tenant-wide entries, with no change, always in scope); deploy-approved: deployment.completed entries to an environment the governance settings in force require a deploy approval for recorded (recordedAt, the ledger's clock) in [2026-10-01T00:00:00.000Z, 2026-10-02T00:00:00.000Z) of changes in the repositories github.com/acme/pay (tenant-wide entries, with no change, always in scope)",
    );
    expect(chg.completeness).toBe(
      'the population is every entry recorded in [2026-10-01T00:00:00.000Z, 2026-10-02T00:00:00.000Z): sequences 10 to 49 of the log (40 entries); proofs/range.json proves entries 0 to 49 of events.jsonl, in order, complete against the signed checkpoint ledger.test/acme #60, so no entry of the period can be left out, added or altered',
    );
  });

  it('a control of the log as a whole has no items: no sample, and a rate over the entries verified', () => {
    const log = report.controls[1];
    expect(populations[1].sequences).toEqual([]);
    expect(log.sample).toEqual({ size: 0, planned: 25, basis: { by: 'default' }, items: [] });
    expect(log.deviationRate).toEqual({ sample: { exceptions: 0, size: 0, rate: null }, population: { exceptions: 0, size: 40, rate: 0 } });
    expect(log.selection).toBe(
      "log-integrity-verified: every entry of the tenant's log recorded (recordedAt, the ledger's clock) in [2026-10-01T00:00:00.000Z, 2026-10-02T00:00:00.000Z)",
    );
  });

  it('an empty period says so in its completeness statement', () => {
    const none = assessControls(
      template,
      { ...facts, entries: 0, merges: [], deployments: [], findings: [] },
      { ...subject, entries: { start: 0, end: 0 } },
      inputs,
    ).report.controls[0];
    expect(none.completeness).toBe(
      'no entry of the log was recorded in [2026-10-01T00:00:00.000Z, 2026-10-02T00:00:00.000Z); proofs/range.json shows against the signed checkpoint ledger.test/acme #60 that the log held no entry recorded before 2026-10-02T00:00:00.000Z',
    );
    expect(none.deviationRate.population).toEqual({ exceptions: 0, size: 0, rate: null });
  });
});
