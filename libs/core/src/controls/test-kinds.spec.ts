import { MergeFact, PopulationFacts } from './population-facts';
import { PackInputs, runTest } from './test-kinds';

const at = (sequence: number) => new Date(Date.UTC(2026, 9, 1, 8) + sequence * 1000).toISOString();
const ref = (sequence: number) => ({ sequence, eventId: `ev-${sequence}`, leafHash: sequence.toString(16).padStart(64, '0') });
const merge = (sequence: number, over: Partial<MergeFact> = {}): MergeFact => ({
  ...ref(sequence),
  recordedAt: at(sequence),
  changeId: `c#${sequence}`,
  aiGenerated: true,
  headCommit: 'h',
  scans: [{ kind: 'sast', passed: true, commit: 'h', findings: { low: 2 }, sequence: sequence - 1 }],
  policyDecisions: 1,
  reviews: [{ checkpoint: 'merge', decision: 'approve', approver: 'bob', independent: true, sequence: sequence - 2 }],
  ...over,
});
const facts = (over: Partial<PopulationFacts> = {}): PopulationFacts => ({
  entries: 100,
  findings: [],
  merges: [merge(10), merge(20)],
  deployments: [{ ...ref(30), recordedAt: at(30), changeId: 'c#10', changeIds: ['c#10'], environment: 'production', aiGenerated: true }],
  modelCalls: [{ ...ref(5), recordedAt: at(5) }],
  agentActions: [{ ...ref(6), recordedAt: at(6) }],
  settingsUpdates: [],
  lateEntries: [],
  ...over,
});
const inputs: PackInputs = { logIntegrity: { verified: true, entries: 100 }, retention: { days: 365, locked: true, archive: 's3' } };
const finding = (rule: string, sequence: number, changeId?: string) => ({
  rule,
  ...ref(sequence),
  recordedAt: at(sequence),
  ...(changeId ? { changeId } : {}),
  reason: `${rule} at ${sequence}`,
});

describe('control test kinds', () => {
  it('independent-approval-before-merge: satisfied over the merges; fails on the rules it reuses', () => {
    expect(runTest({ kind: 'independent-approval-before-merge' }, facts(), inputs)).toMatchObject({
      status: 'satisfied',
      population: [10, 20],
    });
    const out = runTest(
      { kind: 'independent-approval-before-merge' },
      facts({ findings: [finding('approver-is-author', 8, 'c#10'), finding('model-not-allowed', 5)] }),
      inputs,
    );
    expect(out.status).toBe('not-satisfied');
    expect(out.exceptions).toEqual([
      { ...ref(8), changeId: 'c#10', rule: 'approver-is-author', reason: 'approver-is-author at 8', recordedAt: at(8) },
    ]);
  });

  it('is not tested — never satisfied — when there is nothing to examine', () => {
    expect(runTest({ kind: 'deploy-approved' }, facts({ deployments: [] }), inputs)).toMatchObject({
      status: 'not-tested',
      reason: 'no deployments needing approval in the period and scope',
    });
    for (const kind of ['independent-approval-before-merge', 'scan-passed-before-merge', 'policy-evaluated-before-merge'] as const)
      expect(runTest({ kind }, facts({ merges: [] }), inputs).status).toBe('not-tested');
  });

  it("an exception carries both clocks of its entry: the producer's time and the ledger's recordedAt", () => {
    const out = runTest(
      { kind: 'policy-evaluated-before-merge', requireDecision: true },
      facts({ merges: [merge(10, { policyDecisions: 0, time: '2026-09-20T10:00:00Z' })] }),
      inputs,
    );
    expect(out.exceptions).toEqual([
      {
        ...ref(10),
        changeId: 'c#10',
        rule: 'policy-evaluated-before-merge',
        reason: 'merged with no policy decision recorded',
        recordedAt: at(10),
        time: '2026-09-20T10:00:00Z',
      },
    ]);
  });

  it('scan-passed-before-merge: the template can require scan kinds and a severity ceiling', () => {
    const noSecrets = runTest({ kind: 'scan-passed-before-merge', requiredKinds: ['sast', 'secrets'] }, facts(), inputs);
    expect(noSecrets.exceptions.map((x) => [x.sequence, x.reason])).toEqual([
      [10, 'merged without a passing secrets scan of the head commit'],
      [20, 'merged without a passing secrets scan of the head commit'],
    ]);
    const high = facts({
      merges: [merge(10, { scans: [{ kind: 'sast', passed: true, commit: 'h', findings: { high: 1 }, sequence: 9 }] })],
    });
    expect(runTest({ kind: 'scan-passed-before-merge', maxSeverity: 'medium' }, high, inputs).exceptions[0].reason).toBe(
      'merged with sast findings above medium',
    );
    expect(runTest({ kind: 'scan-passed-before-merge', maxSeverity: 'high' }, high, inputs).status).toBe('satisfied');
    const stale = facts({ merges: [merge(10, { scans: [{ kind: 'sast', passed: true, commit: 'old', findings: {}, sequence: 9 }] })] });
    expect(runTest({ kind: 'scan-passed-before-merge', requiredKinds: ['sast'] }, stale, inputs).status).toBe('not-satisfied');
  });

  it('scan-passed-before-merge reports a merge once when a rule already flagged it', () => {
    const out = runTest(
      { kind: 'scan-passed-before-merge', requiredKinds: ['secrets'] },
      facts({ findings: [finding('merged-with-failing-scan', 10, 'c#10')] }),
      inputs,
    );
    expect(out.exceptions.map((x) => `${x.sequence} ${x.rule}`)).toEqual(['10 merged-with-failing-scan', '20 scan-passed-before-merge']);
  });

  it('policy-evaluated-before-merge: a deny then merge fails; with requireDecision, so does a merge without any decision', () => {
    expect(
      runTest({ kind: 'policy-evaluated-before-merge' }, facts({ findings: [finding('merged-after-policy-deny', 20, 'c#20')] }), inputs)
        .status,
    ).toBe('not-satisfied');
    const undecided = facts({ merges: [merge(10, { policyDecisions: 0 })] });
    expect(runTest({ kind: 'policy-evaluated-before-merge' }, undecided, inputs).status).toBe('satisfied');
    expect(runTest({ kind: 'policy-evaluated-before-merge', requireDecision: true }, undecided, inputs).exceptions[0].reason).toBe(
      'merged with no policy decision recorded',
    );
  });

  it('model-on-allow-list: an unapproved model and a malformed allow-list both fail it', () => {
    expect(runTest({ kind: 'model-on-allow-list' }, facts({ findings: [finding('model-not-allowed', 5)] }), inputs).status).toBe(
      'not-satisfied',
    );
    expect(runTest({ kind: 'model-on-allow-list' }, facts({ findings: [finding('invalid-governance-settings', 7)] }), inputs).status).toBe(
      'not-satisfied',
    );
  });

  it('agent-within-scope and deploy-approved reuse their rules', () => {
    expect(runTest({ kind: 'agent-within-scope' }, facts({ findings: [finding('agent-outside-scope', 6, 'c#10')] }), inputs).status).toBe(
      'not-satisfied',
    );
    expect(
      runTest({ kind: 'deploy-approved' }, facts({ findings: [finding('deployed-without-approval', 30, 'c#10')] }), inputs).status,
    ).toBe('not-satisfied');
  });

  it('human-oversight-at-checkpoints: AI-generated changes need an independent approval at each named checkpoint', () => {
    expect(runTest({ kind: 'human-oversight-at-checkpoints', checkpoints: ['merge', 'deploy'] }, facts(), inputs)).toMatchObject({
      status: 'satisfied',
      population: [10, 20, 30],
    });
    const unreviewed = facts({ findings: [finding('merged-without-independent-approval', 20, 'c#20')] });
    expect(runTest({ kind: 'human-oversight-at-checkpoints', checkpoints: ['merge'] }, unreviewed, inputs).status).toBe('not-satisfied');
    const human = facts({
      merges: [merge(20, { aiGenerated: false })],
      findings: [finding('merged-without-independent-approval', 20, 'c#20')],
    });
    expect(runTest({ kind: 'human-oversight-at-checkpoints', checkpoints: ['merge'] }, human, inputs).status).toBe('not-tested');
    const design = runTest({ kind: 'human-oversight-at-checkpoints', checkpoints: ['design'] }, facts(), inputs);
    expect(design.exceptions.map((x) => x.reason)).toEqual([
      'merged with no independent human approval at the design checkpoint',
      'merged with no independent human approval at the design checkpoint',
    ]);
  });

  it('log-integrity-verified and retention-met read what the pack itself proves and keeps', () => {
    expect(runTest({ kind: 'log-integrity-verified' }, facts(), inputs).status).toBe('satisfied');
    const broken = runTest({ kind: 'log-integrity-verified' }, facts(), {
      ...inputs,
      logIntegrity: { verified: false, entries: 100, problem: 'forked' },
    });
    expect(broken).toMatchObject({
      status: 'not-satisfied',
      exceptions: [{ sequence: -1, rule: 'log-integrity-verified', reason: 'forked' }],
    });
    expect(runTest({ kind: 'retention-met', minimumDays: 2190 }, facts(), inputs).exceptions[0].reason).toBe(
      'the pack is locked for 365 days; the control needs 2190',
    );
    expect(runTest({ kind: 'retention-met', minimumDays: 183 }, facts(), inputs)).toMatchObject({ status: 'satisfied', examined: 1 });
  });

  it('log-integrity-verified examined nothing when the period has no entries: not tested', () => {
    expect(runTest({ kind: 'log-integrity-verified' }, facts({ entries: 0 }), inputs)).toMatchObject({
      status: 'not-tested',
      examined: 0,
      reason: 'no log entries recorded in the period',
    });
    expect(runTest({ kind: 'log-integrity-verified' }, facts(), inputs)).toMatchObject({ status: 'satisfied', examined: 100 });
  });

  it('retention-met claims nothing for a pack the archive does not lock', () => {
    const disk = runTest({ kind: 'retention-met', minimumDays: 183 }, facts(), {
      ...inputs,
      retention: { days: 3650, locked: false, archive: 'disk' },
    });
    expect(disk).toMatchObject({
      status: 'not-tested',
      exceptions: [],
      reason: 'the pack is not locked: the archive is a directory, which does not enforce retention',
    });
    const none = runTest({ kind: 'retention-met', minimumDays: 183 }, facts(), {
      ...inputs,
      retention: { days: 3650, locked: false, archive: 'none' },
    });
    expect(none.status).toBe('not-tested');
  });
});
