import { CatalogEventType } from '@evidence-ledger/core';

// Small factories for valid `data` of every typed event. Each returns a fresh object, so a
// test may change one field without touching the others.

export const digest = (seed: string) => `sha256:${seed.repeat(64).slice(0, 64)}`;
export const commitSha = (seed: string) => seed.repeat(40).slice(0, 40);

const agent = () => ({ id: 'agent-codegen-7', version: '2.3.1' });
const human = (id = 'alice@acme.com') => ({ kind: 'human', id });

export const validEventData: Record<CatalogEventType, () => Record<string, unknown>> = {
  'agent.task.requested': () => ({
    taskId: 'task-0192',
    agent: agent(),
    requestedBy: human(),
    repository: 'github.com/acme/pay',
    scope: { paths: ['src/payments/**'], permissions: ['fs:write'] },
    budget: { maxCostUsd: 5, maxTokens: 200_000 },
    summary: 'Add idempotency keys to the refund endpoint',
  }),
  'agent.action.performed': () => ({
    agent: agent(),
    taskId: 'task-0192',
    kind: 'file_write',
    target: 'src/payments/refund.ts',
    withinScope: true,
    outcome: 'completed',
    inputDigest: digest('a'),
    outputDigest: digest('b'),
  }),
  'model.invocation.completed': () => ({
    provider: 'anthropic',
    model: 'claude-sonnet',
    modelVersion: 'claude-sonnet-4-20250514',
    parameters: { temperature: 0.2, max_tokens: 4096, stream: false },
    promptDigest: digest('c'),
    responseDigest: digest('d'),
    tokensIn: 1200,
    tokensOut: 350,
    costUsd: 0.0183,
    latencyMs: 2310,
  }),
  'policy.decision.recorded': () => ({
    engine: 'opa',
    policyId: 'ai.merge_gate',
    policyVersion: '1.4.0',
    bundleDigest: digest('e'),
    inputDigest: digest('f'),
    decision: 'deny',
    violatedRules: ['require_security_review', 'require_passing_sast'],
    decisionId: '4ca636c1-55e4-417a-b1d8-4aceb67960d1',
  }),
  'scan.completed': () => ({
    tool: { name: 'semgrep', version: '1.79.0' },
    kind: 'sast',
    commit: commitSha('4a'),
    findings: { critical: 0, high: 1, medium: 3, low: 7, info: 12 },
    sarifDigest: digest('0'),
    passed: false,
  }),
  'review.decision.recorded': () => ({
    approver: { subject: 'bob@acme.com', issuer: 'https://login.acme.com', role: 'security-reviewer', mfa: true },
    checkpoint: 'security',
    decision: 'approve',
    commit: commitSha('4a'),
    rationale: 'Input validation covers the new endpoint.',
  }),
  'change.opened': () => changeData(),
  'change.committed': () => changeData(),
  'change.merged': () => ({ ...changeData(), mergedBy: human('bob@acme.com'), mergeCommit: commitSha('9c') }),
  'deployment.completed': () => deploymentData(),
  'deployment.rolled_back': () => ({ ...deploymentData(), restoredArtifactDigest: digest('7'), reason: 'p99 latency regression' }),
  'budget.threshold.crossed': () => ({
    team: 'payments',
    budget: 'ai-coding-monthly',
    spendUsd: 812.4,
    thresholdUsd: 800,
    limitUsd: 1000,
    period: { start: '2026-07-01T00:00:00Z', end: '2026-08-01T00:00:00Z' },
  }),
  'exception.response.recorded': () => ({
    exception: { eventId: '0190b6f2-7c1e-7a3b-9f00-000000000007', rule: 'merged-with-failing-scan' },
    rootCause: 'The merge gate did not wait for the SAST job to finish.',
    remediation: 'The gate now requires a passing SAST result on the head commit.',
    owner: 'platform-team',
    dueDate: '2026-08-15T00:00:00Z',
    status: 'in-progress',
  }),
};

/** Per type: a field given a value of the wrong type (with the expected message), and a required field. */
export const invalidFieldExamples: Record<CatalogEventType, { wrong: [field: string, value: unknown, message: string]; required: string }> =
  {
    'agent.task.requested': { wrong: ['repository', 42, 'must be a string'], required: 'taskId' },
    'agent.action.performed': { wrong: ['withinScope', 'yes', 'must be true or false'], required: 'inputDigest' },
    'model.invocation.completed': { wrong: ['tokensIn', '1200', 'must be an integer'], required: 'modelVersion' },
    'policy.decision.recorded': { wrong: ['violatedRules', 'require_review', 'must be an array'], required: 'policyVersion' },
    'scan.completed': { wrong: ['findings', [0, 1], 'must be an object'], required: 'commit' },
    'review.decision.recorded': { wrong: ['approver', 'bob', 'must be an object'], required: 'checkpoint' },
    'change.opened': { wrong: ['aiGenerated', 1, 'must be true or false'], required: 'author' },
    'change.committed': { wrong: ['commits', commitSha('a'), 'must be an array'], required: 'commits' },
    'change.merged': { wrong: ['mergedBy', 'bob', 'must be an object'], required: 'changeId' },
    'deployment.completed': { wrong: ['changeIds', 'github.com/acme/pay#482', 'must be an array'], required: 'artifactDigest' },
    'deployment.rolled_back': { wrong: ['reason', false, 'must be a string'], required: 'triggeredBy' },
    'budget.threshold.crossed': { wrong: ['spendUsd', '812.40', 'must be a number'], required: 'period' },
    'exception.response.recorded': { wrong: ['exception', 'merged-with-failing-scan', 'must be an object'], required: 'status' },
  };

function changeData() {
  return {
    changeId: 'github.com/acme/pay#482',
    repository: 'github.com/acme/pay',
    author: { kind: 'agent', id: 'agent-codegen-7' },
    commits: [commitSha('4a'), commitSha('5b')],
    aiGenerated: true,
    workItem: 'PAY-1234',
    baseBranch: 'main',
  };
}

function deploymentData() {
  return {
    environment: 'production',
    deploymentId: 'deploy-20260702-01',
    artifactDigest: digest('8'),
    changeIds: ['github.com/acme/pay#482'],
    triggeredBy: { kind: 'service', id: 'github-actions' },
  };
}

// A whole CloudEvent around `data`, as a producer would post it.
export function catalogEvent(type: string, data: unknown, id = '0190b6f2-7c1e-7a3b-9f00-000000000001'): Record<string, unknown> {
  return {
    specversion: '1.0',
    id,
    source: 'https://gateway.acme.com',
    type,
    time: '2026-07-02T10:00:00Z',
    datacontenttype: 'application/json',
    actor: { kind: 'service', id: 'agent-gateway' },
    changeid: 'github.com/acme/pay#482',
    data,
  };
}
