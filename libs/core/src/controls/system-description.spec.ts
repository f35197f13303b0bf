import { evaluateControls, PackSubject } from './control-engine';
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
const inputs = (locked: boolean, days = 400): PackInputs => ({
  logIntegrity: { verified: true, entries: 10 },
  retention: { days, locked, archive: locked ? 's3' : 'none' },
});
const template: EvidenceTemplate = {
  framework: 'acme',
  title: 'ACME',
  version: '1',
  retention: { days: 400 },
  assertion: 'Management of {tenant} asserts that {system} operated throughout {period}.',
  complementaryUserEntityControls: ['The tenant posts every event.'],
  recordKeeping: { title: 'Retention', requirement: 'Keep it.', minimumDays: 183 },
  controls: [
    {
      id: 'CHG',
      title: 'Change management',
      objective: 'o',
      owner: 'Head of Engineering',
      frequency: 'weekly',
      automation: 'automated',
      testPerformed: 'Re-performed.',
      evidence: { eventTypes: ['change.merged'] },
      tests: [{ kind: 'independent-approval-before-merge' }],
    },
  ],
};
const merge = (sequence: number): MergeFact => ({
  sequence,
  eventId: `ev-${sequence}`,
  leafHash: sequence.toString(16).padStart(64, '0'),
  recordedAt: '2026-10-01T09:00:00.000Z',
  changeId: `c#${sequence}`,
  aiGenerated: false,
  scans: [],
  policyDecisions: 1,
  reviews: [],
});
const facts: PopulationFacts = {
  entries: 10,
  findings: [],
  merges: [1, 2, 3, 4, 5, 6, 7, 8].map(merge),
  deployments: [],
  modelCalls: [],
  agentActions: [],
  settingsUpdates: [],
  lateEntries: [],
  inventory: {
    repositories: ['github.com/acme/pay'],
    services: ['github-actions'],
    agents: [{ id: 'agent-1', versions: ['1.0'] }],
    modelProviders: [{ provider: 'anthropic', models: [{ model: 'claude-sonnet', versions: ['2026-09-01'] }] }],
  },
};

describe('what controls.json says beyond the verdicts', () => {
  it("carries how each control operates and draws its sample by the control's frequency", () => {
    const c = evaluateControls(template, facts, subject, inputs(true)).controls[0];
    expect(c).toMatchObject({ owner: 'Head of Engineering', frequency: 'weekly', automation: 'automated', testPerformed: 'Re-performed.' });
    expect(c.sample).toMatchObject({ size: 5, planned: 5, basis: { by: 'frequency', frequency: 'weekly' } });
    expect(c.sample.items).toHaveLength(5);
    const annual = evaluateControls(
      { ...template, controls: [{ ...template.controls[0], frequency: 'annual' }] },
      facts,
      subject,
      inputs(true),
    );
    expect(annual.controls[0].sample).toMatchObject({ size: 1, planned: 1 });
  });

  it("describes the system from the population's AI inventory, with the template's assertion filled in", () => {
    const d = evaluateControls(template, facts, subject, inputs(true)).description;
    expect(d.assertion).toEqual({
      text: 'Management of acme asserts that the AI-assisted software delivery of tenant acme (repositories github.com/acme/pay) operated throughout 2026-10-01T00:00:00.000Z to 2026-10-02T00:00:00.000Z.',
      source: 'template',
    });
    expect(d.boundaries).toEqual({ scope: [], ...facts.inventory });
    expect(d.complementaryUserEntityControls).toEqual(['The tenant posts every event.']);
  });

  it("prefers the tenant's own wording, and says when there is none", () => {
    const own = evaluateControls(template, { ...facts, assertion: { text: '{tenant} says so.', sequence: 7 } }, subject, inputs(true));
    expect(own.description.assertion).toEqual({ text: 'acme says so.', source: 'settings', sequence: 7 });
    const { assertion: _a, ...bare } = template;
    expect(evaluateControls(bare, facts, subject, inputs(true)).description.assertion.source).toBe('none');
  });

  it('states retention as enforced only when the archive locks the pack at least as long as required', () => {
    const rk = (i: PackInputs) => evaluateControls(template, facts, subject, i).recordKeeping;
    expect(rk(inputs(true, 400))).toMatchObject({ enforced: true, minimumDays: 183, logged: { entries: 10, clock: 'recordedAt' } });
    expect(rk(inputs(true, 100))).toMatchObject({ enforced: false });
    expect(rk(inputs(true, 100))?.statement).toContain('100 days only, fewer than the 183 days required');
    expect(rk(inputs(false))).toMatchObject({ enforced: false });
    expect(rk(inputs(false))?.statement).toContain('Nothing enforces the 183-day retention');
    const { recordKeeping: _r, ...none } = template;
    expect(evaluateControls(none, facts, subject, inputs(true)).recordKeeping).toBeUndefined();
  });
});
