import { evaluateControls, isLate, PackSubject } from './control-engine';
import { MergeFact, PopulationFacts } from './population-facts';
import { EvidenceTemplate } from './template';
import { PackInputs } from './test-kinds';

const subject: PackSubject = {
  tenant: 'acme',
  period: { from: '2026-10-01T00:00:00.000Z', to: '2026-10-02T00:00:00.000Z' },
  scope: { repositories: [] },
  checkpoint: { origin: 'ledger.test/acme', treeSize: 530, rootHash: Buffer.alloc(32, 1).toString('base64') },
  entries: { start: 0, end: 0 },
};
const locked: PackInputs = { logIntegrity: { verified: true, entries: 0 }, retention: { days: 400, locked: true, archive: 's3' } };
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
    },
    {
      id: 'LOG',
      title: 'Log integrity',
      objective: 'o',
      evidence: { eventTypes: [], ledger: ['signed-checkpoint', 'inclusion-proofs'] },
      tests: [{ kind: 'log-integrity-verified' }, { kind: 'retention-met', minimumDays: 365 }],
    },
    { id: 'IR', title: 'Incidents', objective: 'o', evidence: { eventTypes: [] }, tests: [], notApplicable: 'not in the catalog' },
  ],
};
const empty: PopulationFacts = {
  entries: 0,
  findings: [],
  merges: [],
  deployments: [],
  modelCalls: [],
  agentActions: [],
  settingsUpdates: [],
  lateEntries: [],
};
const ref = (sequence: number) => ({ sequence, eventId: `ev-${sequence}`, leafHash: sequence.toString(16).padStart(64, '0') });
const merge = (sequence: number, over: Partial<MergeFact> = {}): MergeFact => ({
  ...ref(sequence),
  recordedAt: '2026-10-01T09:00:00.000Z',
  changeId: `c#${sequence}`,
  aiGenerated: false,
  scans: [],
  policyDecisions: 1,
  reviews: [],
  ...over,
});

describe('control verdicts', () => {
  it('an empty period satisfies nothing: every tested control is not-tested, with what was missing', () => {
    const report = evaluateControls(template, empty, subject, locked);
    expect(report.controls.map((c) => [c.id, c.status])).toEqual([
      ['CHG', 'not-tested'],
      ['LOG', 'not-tested'],
      ['IR', 'not-applicable'],
    ]);
    expect(report.controls[1].reason).toBe(
      'log-integrity-verified: no log entries recorded in the period; retention-met: no entries recorded in the period to retain',
    );
    expect(report.summary).toMatchObject({ satisfied: 0, notSatisfied: 0, notTested: 2, notApplicable: 1, lateEntries: 0 });
  });

  it('a control is satisfied only when every test examined something and passed', () => {
    const facts = { ...empty, entries: 10, merges: [merge(3)] };
    const report = evaluateControls(template, facts, subject, locked);
    const chg = report.controls[0];
    expect(chg.status).toBe('not-tested');
    expect(chg.reason).toBe('1 of 2 tests passed; deploy-approved: no deployments needing approval in the period and scope');
    expect(report.controls[1]).toMatchObject({ status: 'satisfied', populationSize: 10 });
    const withDeploy = evaluateControls(
      template,
      { ...facts, deployments: [{ ...ref(4), recordedAt: '2026-10-01T09:00:01.000Z', changeIds: ['c#3'], aiGenerated: false }] },
      subject,
      locked,
    );
    expect(withDeploy.controls[0]).toMatchObject({ status: 'satisfied', populationSize: 2 });
  });

  it('an exception outweighs an untested test', () => {
    const facts = {
      ...empty,
      entries: 10,
      merges: [merge(3)],
      findings: [{ rule: 'approver-is-author', ...ref(3), changeId: 'c#3', reason: 'x', recordedAt: '2026-10-01T09:00:00.000Z' }],
    };
    expect(evaluateControls(template, facts, subject, locked).controls[0].status).toBe('not-satisfied');
  });

  it("flags late evidence by the template's threshold and marks exceptions at late entries", () => {
    const lateMerge = { recordedAt: '2026-10-01T09:00:00.000Z', time: '2026-09-29T09:00:00Z' };
    const facts: PopulationFacts = {
      ...empty,
      entries: 10,
      merges: [merge(3, lateMerge)],
      findings: [{ rule: 'approver-is-author', ...ref(3), changeId: 'c#3', reason: 'x', ...lateMerge }],
      lateEntries: [{ ...ref(3), type: 'change.merged', changeId: 'c#3', ...lateMerge }],
    };
    const report = evaluateControls(template, facts, subject, locked);
    expect(report.lateEvidence).toEqual({ thresholdHours: 24, entries: facts.lateEntries });
    expect(report.summary.lateEntries).toBe(1);
    expect(report.controls[0].exceptions).toEqual([
      { ...ref(3), changeId: 'c#3', rule: 'approver-is-author', reason: 'x', ...lateMerge, late: true },
    ]);
    const lenient = evaluateControls({ ...template, lateEvidence: { thresholdHours: 72 } }, facts, subject, locked);
    expect(lenient.lateEvidence).toEqual({ thresholdHours: 72, entries: [] });
    expect(lenient.controls[0].exceptions[0].late).toBeUndefined();
  });

  it('an entry is late only when recorded more than the threshold after its stated time', () => {
    expect(isLate({ recordedAt: '2026-10-02T09:00:00.000Z', time: '2026-10-01T09:00:00Z' }, 24)).toBe(false);
    expect(isLate({ recordedAt: '2026-10-02T09:00:00.001Z', time: '2026-10-01T09:00:00Z' }, 24)).toBe(true);
    expect(isLate({ recordedAt: '2026-10-02T09:00:00.000Z' }, 1)).toBe(false);
    expect(isLate({ recordedAt: '2026-10-01T09:00:00.000Z', time: '2026-10-05T09:00:00Z' }, 1)).toBe(false);
  });
});

describe("management's responses", () => {
  const response = (sequence: number, recordedAt: string, status: 'open' | 'remediated', rule = 'merged-without-independent-approval') => ({
    exception: { eventId: 'e-7', rule },
    rootCause: 'rc',
    remediation: 'fix',
    owner: 'platform',
    dueDate: '2026-11-01T00:00:00Z',
    status,
    eventId: `r-${sequence}`,
    sequence,
    recordedAt,
    exceptionSequence: 7,
  });
  const facts = (responses: PopulationFacts['responses']): PopulationFacts => ({
    ...empty,
    entries: 1,
    merges: [merge(7)],
    findings: [
      { rule: 'merged-without-independent-approval', ...ref(7), changeId: 'c#7', reason: 'r', recordedAt: '2026-10-01T09:00:00.000Z' },
    ],
    responses,
  });
  const exceptionOf = (f: PopulationFacts) => evaluateControls(template, f, subject, locked).controls[0].exceptions[0];

  it('puts the latest response on the exception it names, saying whether it came after the period', () => {
    const x = exceptionOf(facts([response(9, '2026-10-01T10:00:00.000Z', 'open'), response(12, '2026-10-03T10:00:00.000Z', 'remediated')]));
    expect(x.managementResponse).toEqual({
      rootCause: 'rc',
      remediation: 'fix',
      owner: 'platform',
      dueDate: '2026-11-01T00:00:00Z',
      status: 'remediated',
      eventId: 'r-12',
      sequence: 12,
      recordedAt: '2026-10-03T10:00:00.000Z',
      recordedAfterPeriodEnd: true,
    });
    expect(exceptionOf(facts([response(9, '2026-10-01T10:00:00.000Z', 'open')])).managementResponse?.recordedAfterPeriodEnd).toBe(false);
  });

  it('leaves an exception without a response, or answered for another rule, without one', () => {
    expect(exceptionOf(facts(undefined))).not.toHaveProperty('managementResponse');
    expect(exceptionOf(facts([response(9, '2026-10-01T10:00:00.000Z', 'open', 'approver-is-author')]))).not.toHaveProperty(
      'managementResponse',
    );
  });
});
