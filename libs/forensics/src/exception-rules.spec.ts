import { demoScenario } from '@evidence-ledger/samples';
import { CloudEvent, commitOf, forensicEvents as ev, Principal } from '@evidence-ledger/samples';
import { asEntries } from '../../core/src/forensics/testing/log-entries';
import { projectInMemory } from './testing/memory-forensics-tables';
import { ExceptionDoc } from '@evidence-ledger/core';

const C = 'github.com/acme/pay#1';
const AGENT: Principal = { kind: 'agent', id: 'agent-7' };
const HEAD = commitOf('1');
const on = (actor?: Principal) => ({ changeid: C, ...(actor ? { actor } : {}) });
const change = (author: Principal = AGENT) => ({ changeId: C, repository: 'github.com/acme/pay', author, aiGenerated: true });
const approve = (approver: string, checkpoint: 'merge' | 'deploy' = 'merge', commit: string | undefined = HEAD) =>
  ev.review(on(), { approver, checkpoint, decision: 'approve', ...(commit ? { commit } : {}) });

type Part = 'settings' | 'task' | 'work' | 'opened' | 'policy' | 'scans' | 'reviews' | 'merged' | 'deploy';

// A change that breaches nothing; each test replaces the parts its case is about.
function clean(): Record<Part, CloudEvent[]> {
  return {
    settings: [
      ev.settings(
        {},
        { allowedModels: [{ provider: 'anthropic', model: 'claude-sonnet', versions: ['2026-09-01'] }], requiredScanKinds: ['sast'] },
      ),
    ],
    task: [
      ev.taskRequested(on(), {
        taskId: 't-1',
        agentId: 'agent-7',
        requestedBy: { kind: 'human', id: 'alice' },
        repository: 'github.com/acme/pay',
        paths: ['src/payments/**'],
        summary: 'refunds',
      }),
    ],
    work: [
      ev.modelInvocation(on(AGENT), {
        provider: 'anthropic',
        model: 'claude-sonnet',
        modelVersion: '2026-09-01',
        tokensIn: 10,
        tokensOut: 5,
        costUsd: 0.01,
      }),
      ev.actionPerformed(on(AGENT), {
        agentId: 'agent-7',
        taskId: 't-1',
        kind: 'file_write',
        target: 'src/payments/refund.ts',
        withinScope: true,
      }),
    ],
    opened: [ev.changeOpened(on(AGENT), { ...change(), commits: [HEAD] })],
    policy: [ev.policyDecision(on(), { policyId: 'ai.merge_gate', policyVersion: '1.4.0', decision: 'allow' })],
    scans: [ev.scan(on(), { kind: 'sast', tool: 'semgrep', version: '1', commit: HEAD, passed: true })],
    reviews: [approve('bob')],
    merged: [ev.changeMerged(on(), { ...change(), commits: [HEAD], mergedBy: { kind: 'human', id: 'bob' }, mergeCommit: commitOf('m') })],
    deploy: [
      approve('carol', 'deploy', undefined),
      ev.deployment(on(), { environment: 'production', changeIds: [C], triggeredBy: { kind: 'service', id: 'ci' }, artifact: 'a' }),
    ],
  };
}

async function exceptions(overrides: Partial<Record<Part, CloudEvent[]>> = {}): Promise<string[]> {
  const events = Object.values({ ...clean(), ...overrides }).flat();
  const models = await projectInMemory(asEntries(events));
  return models.docs<ExceptionDoc>('exceptions').map((x) => `${x.rule}${x.changeId ? ` ${x.changeId}` : ''}`);
}

describe('control exception rules', () => {
  it('find nothing in a change that breaches no control', async () => {
    expect(await exceptions()).toEqual([]);
  });

  describe('merged without an independent approval', () => {
    it('fires when nobody approved', async () => {
      expect(await exceptions({ reviews: [] })).toEqual([`merged-without-independent-approval ${C}`]);
    });
    it('fires when only the agent that wrote it approved (which is also the author approving)', async () => {
      expect(await exceptions({ reviews: [approve('agent-7')] })).toEqual([
        `approver-is-author ${C}`,
        `merged-without-independent-approval ${C}`,
      ]);
    });
    it('fires when only an agent that worked on it approved', async () => {
      const helper = ev.actionPerformed(on({ kind: 'agent', id: 'agent-tests' }), {
        agentId: 'agent-tests',
        kind: 'command',
        target: 'npm test',
        withinScope: true,
      });
      expect(await exceptions({ reviews: [helper, approve('agent-tests')] })).toEqual([`merged-without-independent-approval ${C}`]);
    });
    it('fires when the approval was for a commit older than the head', async () => {
      const next = commitOf('2');
      const pushed = ev.changeCommitted(on(AGENT), { ...change(), commits: [next] });
      const scanned = ev.scan(on(), { kind: 'sast', tool: 'semgrep', version: '1', commit: next, passed: true });
      expect(await exceptions({ reviews: [approve('bob'), pushed, scanned] })).toEqual([`merged-without-independent-approval ${C}`]);
    });
    it('fires when the approver withdrew the approval', async () => {
      const rejected = ev.review(on(), { approver: 'bob', checkpoint: 'merge', decision: 'reject', commit: HEAD });
      expect(await exceptions({ reviews: [approve('bob'), rejected] })).toEqual([`merged-without-independent-approval ${C}`]);
    });
    it('does not fire on an approval after changes were requested', async () => {
      const requested = ev.review(on(), { approver: 'bob', checkpoint: 'merge', decision: 'changes_requested', commit: HEAD });
      expect(await exceptions({ reviews: [requested, approve('bob')] })).toEqual([]);
    });
  });

  describe('approver is the author', () => {
    it('fires when the author approves their own change, even beside an independent approval', async () => {
      const dave: Principal = { kind: 'human', id: 'dave' };
      const opened = ev.changeOpened(on(dave), { ...change(dave), commits: [HEAD] });
      const merged = ev.changeMerged(on(), {
        ...change(dave),
        commits: [HEAD],
        mergedBy: { kind: 'human', id: 'bob' },
        mergeCommit: commitOf('m'),
      });
      expect(await exceptions({ opened: [opened], reviews: [approve('dave'), approve('bob')], merged: [merged] })).toEqual([
        `approver-is-author ${C}`,
      ]);
    });
  });

  describe('merged with a failing or missing scan', () => {
    it('fires when the latest scan of a kind failed', async () => {
      const failed = ev.scan(on(), { kind: 'sast', tool: 'semgrep', version: '1', commit: HEAD, passed: false });
      expect(await exceptions({ scans: [failed] })).toEqual([`merged-with-failing-scan ${C}`]);
    });
    it('does not fire when a later scan of the same kind passed', async () => {
      const failed = ev.scan(on(), { kind: 'sast', tool: 'semgrep', version: '1', commit: HEAD, passed: false });
      const passed = ev.scan(on(), { kind: 'sast', tool: 'semgrep', version: '1', commit: HEAD, passed: true });
      expect(await exceptions({ scans: [failed, passed] })).toEqual([]);
    });
    it('fires when a required kind never ran', async () => {
      const settings = ev.settings({}, { requiredScanKinds: ['sast', 'secrets'] });
      expect(await exceptions({ settings: [settings] })).toEqual([`merged-without-required-scan ${C}`]);
    });
    it('fires when no scan ran at all and none is required', async () => {
      expect(await exceptions({ settings: [], scans: [] })).toEqual([`merged-without-required-scan ${C}`]);
    });
  });

  describe('merged after a policy deny', () => {
    const deny = (policyId = 'ai.merge_gate') =>
      ev.policyDecision(on(), { policyId, policyVersion: '1.4.0', decision: 'deny', violatedRules: ['r'] });
    const allow = (policyId = 'ai.merge_gate') => ev.policyDecision(on(), { policyId, policyVersion: '1.4.1', decision: 'allow' });
    it('fires when the latest decision of a policy is deny', async () => {
      expect(await exceptions({ policy: [allow(), deny()] })).toEqual([`merged-after-policy-deny ${C}`]);
    });
    it('does not fire when the same policy allowed it later', async () => {
      expect(await exceptions({ policy: [deny(), allow()] })).toEqual([]);
    });
    it('fires when another policy allowed but the denying one never did', async () => {
      expect(await exceptions({ policy: [deny('ai.secrets_gate'), allow()] })).toEqual([`merged-after-policy-deny ${C}`]);
    });
  });

  describe('model not on the allow-list', () => {
    const call = (modelVersion: string) =>
      ev.modelInvocation(on(AGENT), { provider: 'anthropic', model: 'claude-sonnet', modelVersion, tokensIn: 1, tokensOut: 1, costUsd: 0 });
    it('fires on a version the allow-list does not name', async () => {
      expect(await exceptions({ work: [call('2026-10-15')] })).toEqual([`model-not-allowed ${C}`]);
    });
    it('does not fire when the tenant has no allow-list', async () => {
      expect(await exceptions({ settings: [ev.settings({}, { requiredScanKinds: ['sast'] })], work: [call('2026-10-15')] })).toEqual([]);
    });
  });

  describe('deployed without approval', () => {
    const deploy = (environment: string) =>
      ev.deployment(on(), { environment, changeIds: [C], triggeredBy: { kind: 'service', id: 'ci' }, artifact: 'a' });
    it('fires on a production deployment with no deploy approval', async () => {
      expect(await exceptions({ deploy: [deploy('production')] })).toEqual([`deployed-without-approval ${C}`]);
    });
    it('fires when the only deploy approval came from the agent', async () => {
      expect(await exceptions({ deploy: [approve('agent-7', 'deploy', undefined), deploy('production')] })).toEqual([
        `approver-is-author ${C}`,
        `deployed-without-approval ${C}`,
      ]);
    });
    it('does not fire on an environment that needs no approval', async () => {
      expect(await exceptions({ deploy: [deploy('staging')] })).toEqual([]);
    });
    it('reports every change a deployment carries, each on its own timeline', async () => {
      const other = 'github.com/acme/pay#2';
      const both = ev.deployment(
        {},
        { environment: 'production', changeIds: [C, other], triggeredBy: { kind: 'service', id: 'ci' }, artifact: 'b' },
      );
      expect(await exceptions({ deploy: [approve('carol', 'deploy', undefined), both] })).toEqual([`deployed-without-approval ${other}`]);
    });
  });

  describe('agent acting outside its granted scope', () => {
    const act = (f: Partial<Parameters<typeof ev.actionPerformed>[1]>) =>
      ev.actionPerformed(on(AGENT), {
        agentId: 'agent-7',
        taskId: 't-1',
        kind: 'file_write',
        target: 'src/payments/a.ts',
        withinScope: true,
        ...f,
      });
    it('fires when the gateway reported an out-of-scope action it let run', async () => {
      expect(await exceptions({ work: [act({ kind: 'network', target: 'https://x.example', withinScope: false })] })).toEqual([
        `agent-outside-scope ${C}`,
      ]);
    });
    it('does not fire on an out-of-scope attempt the gateway blocked', async () => {
      expect(
        await exceptions({ work: [act({ kind: 'network', target: 'https://x.example', withinScope: false, outcome: 'blocked' })] }),
      ).toEqual([]);
    });
    it('fires on a write outside the granted paths, whatever the gateway reported', async () => {
      expect(await exceptions({ work: [act({ target: 'infra/prod.tf' })] })).toEqual([`agent-outside-scope ${C}`]);
    });
    it('fires when another agent acts on the task', async () => {
      expect(await exceptions({ work: [act({ agentId: 'agent-9' })] })).toEqual([`agent-outside-scope ${C}`]);
    });
  });

  it('reports governance settings that could not be applied', async () => {
    const bad = ev.settings({}, {});
    (bad.data as Record<string, unknown>).allowedModels = 'everything';
    expect(await exceptions({ settings: [...clean().settings, bad] })).toEqual(['invalid-governance-settings']);
  });

  it('reports settings a key without a governance role tried to change, and keeps the rules in force', async () => {
    // A settings event in the log without the admin role (as a producer key posted before the
    // service refused them): the required scan kinds stay, so a merge without SAST still fires.
    const { producerrole: _role, ...unsigned } = ev.settings({}, { requiredScanKinds: [] });
    const secretsOnly = [ev.scan(on(), { kind: 'secrets', tool: 'gitleaks', version: '8', commit: HEAD, passed: true })];
    expect(await exceptions({ settings: [...clean().settings, { ...unsigned, producerrole: 'admin' }], scans: secretsOnly })).toEqual([]);
    const found = await exceptions({ settings: [...clean().settings, unsigned], scans: secretsOnly });
    expect(found).toEqual(expect.arrayContaining(['invalid-governance-settings', `merged-without-required-scan ${C}`]));
    const models = await projectInMemory(asEntries([...clean().settings, unsigned]));
    expect(models.docs<ExceptionDoc & { reason: string }>('exceptions')[0].reason).toBe(
      'settings posted by test-producer, a key without a governance role; not applied',
    );
  });
});

describe('the demo scenario', () => {
  const scenario = demoScenario();

  it('plants one case of every rule', () => {
    expect(new Set(scenario.planted.map((p) => p.rule)).size).toBe(9);
  });

  it('raises exactly the planted exceptions, and none on the clean changes', async () => {
    const models = await projectInMemory(asEntries(scenario.events), { batchSize: 50 });
    const found = models.docs<ExceptionDoc>('exceptions').map((x) => `${x.rule} ${x.changeId ?? '-'}`);
    expect(found.sort()).toEqual(scenario.planted.map((p) => `${p.rule} ${p.changeId ?? '-'}`).sort());
    const flagged = new Set(found.map((f) => f.split(' ')[1]));
    expect(scenario.clean.filter((c) => flagged.has(c))).toEqual([]);
    expect(scenario.clean.length).toBeGreaterThanOrEqual(20);
  });

  it('is the same every time', () => {
    expect(JSON.stringify(demoScenario().events)).toBe(JSON.stringify(scenario.events));
  });
});
