import { EXCEPTION_RESPONSE_TYPE, GOVERNANCE_SETTINGS_TYPE, PRODUCER_ROLE_ATTRIBUTE, sha256, uuidv7 } from '@evidence-ledger/core';

// Factories for the catalog events of one change's life, valid against the typed schemas,
// for the demo scenario, tests and benchmarks. Every factory takes the envelope attributes
// first (`EventOptions`) and the event's own fields second.

export type CloudEvent = Record<string, unknown>;

export interface Principal {
  readonly kind: 'human' | 'agent' | 'service';
  readonly id: string;
}

export interface EventOptions {
  readonly id?: string;
  /** Producer event time, RFC 3339. */
  readonly time?: string;
  readonly changeid?: string;
  /** The `team` extension attribute. */
  readonly team?: string;
  readonly actor?: Principal & { readonly role?: string };
  readonly source?: string;
}

/** A `sha256:` digest derived from a seed, for fields that reference artefacts by digest. */
export const digestOf = (seed: string): string => `sha256:${sha256(Buffer.from(seed, 'utf8')).toString('hex')}`;

/** A full 40-hex commit SHA derived from a seed. */
export const commitOf = (seed: string): string =>
  sha256(Buffer.from(`commit:${seed}`, 'utf8'))
    .toString('hex')
    .slice(0, 40);

function event(type: string, data: Record<string, unknown>, o: EventOptions, defaultSource: string): CloudEvent {
  return {
    specversion: '1.0',
    id: o.id ?? uuidv7(),
    source: o.source ?? defaultSource,
    type,
    ...(o.time ? { time: o.time } : {}),
    datacontenttype: 'application/json',
    ...(o.actor ? { actor: o.actor } : {}),
    ...(o.changeid ? { changeid: o.changeid } : {}),
    ...(o.team ? { team: o.team } : {}),
    data,
  };
}

const change = (f: {
  changeId: string;
  repository: string;
  author: Principal;
  commits: string[];
  aiGenerated: boolean;
  workItem?: string;
}) => ({
  changeId: f.changeId,
  repository: f.repository,
  author: { kind: f.author.kind, id: f.author.id },
  commits: f.commits,
  aiGenerated: f.aiGenerated,
  ...(f.workItem ? { workItem: f.workItem } : {}),
  baseBranch: 'main',
});

export const forensicEvents = {
  taskRequested: (
    o: EventOptions,
    f: {
      taskId: string;
      agentId: string;
      agentVersion?: string;
      requestedBy: Principal;
      repository: string;
      paths: string[];
      summary: string;
    },
  ) =>
    event(
      'agent.task.requested',
      {
        taskId: f.taskId,
        agent: { id: f.agentId, ...(f.agentVersion ? { version: f.agentVersion } : {}) },
        requestedBy: f.requestedBy,
        repository: f.repository,
        scope: { paths: f.paths, permissions: ['fs:write'] },
        budget: { maxCostUsd: 5, maxTokens: 500_000 },
        summary: f.summary,
      },
      o,
      'urn:acme:agent-gateway',
    ),
  actionPerformed: (
    o: EventOptions,
    f: {
      agentId: string;
      taskId?: string;
      kind: 'tool_call' | 'file_write' | 'command' | 'network';
      target: string;
      withinScope: boolean;
      outcome?: 'completed' | 'failed' | 'blocked';
    },
  ) =>
    event(
      'agent.action.performed',
      {
        agent: { id: f.agentId },
        ...(f.taskId ? { taskId: f.taskId } : {}),
        kind: f.kind,
        target: f.target,
        withinScope: f.withinScope,
        outcome: f.outcome ?? 'completed',
        inputDigest: digestOf(`in:${f.target}`),
        ...(f.outcome === 'blocked' ? {} : { outputDigest: digestOf(`out:${f.target}`) }),
      },
      o,
      'urn:acme:agent-gateway',
    ),
  modelInvocation: (
    o: EventOptions,
    f: { provider: string; model: string; modelVersion: string; tokensIn: number; tokensOut: number; costUsd: number },
  ) =>
    event(
      'model.invocation.completed',
      {
        provider: f.provider,
        model: f.model,
        modelVersion: f.modelVersion,
        parameters: { temperature: 0.2 },
        promptDigest: digestOf(`prompt:${o.id ?? ''}`),
        responseDigest: digestOf(`response:${o.id ?? ''}`),
        tokensIn: f.tokensIn,
        tokensOut: f.tokensOut,
        costUsd: f.costUsd,
        latencyMs: 900,
      },
      o,
      'urn:acme:agent-gateway',
    ),
  policyDecision: (o: EventOptions, f: { policyId: string; policyVersion: string; decision: 'allow' | 'deny'; violatedRules?: string[] }) =>
    event(
      'policy.decision.recorded',
      {
        engine: 'opa',
        policyId: f.policyId,
        policyVersion: f.policyVersion,
        bundleDigest: digestOf(`bundle:${f.policyId}@${f.policyVersion}`),
        inputDigest: digestOf(`input:${o.id ?? ''}`),
        decision: f.decision,
        violatedRules: f.violatedRules ?? [],
      },
      o,
      'urn:acme:opa',
    ),
  scan: (
    o: EventOptions,
    f: {
      kind: 'sast' | 'sca' | 'secrets' | 'license' | 'dast' | 'iac';
      tool: string;
      version: string;
      commit: string;
      passed: boolean;
      high?: number;
      repository?: string;
    },
  ) =>
    event(
      'scan.completed',
      {
        tool: { name: f.tool, version: f.version },
        kind: f.kind,
        ...(f.repository ? { repository: f.repository } : {}),
        commit: f.commit,
        findings: { critical: 0, high: f.high ?? (f.passed ? 0 : 2), medium: 1, low: 3, info: 5 },
        sarifDigest: digestOf(`sarif:${o.id ?? ''}`),
        passed: f.passed,
      },
      o,
      'urn:acme:scanners',
    ),
  review: (
    o: EventOptions,
    f: {
      approver: string;
      role?: string;
      checkpoint: 'design' | 'security' | 'test' | 'merge' | 'deploy';
      decision: 'approve' | 'reject' | 'changes_requested';
      commit?: string;
      mfa?: boolean;
    },
  ) =>
    event(
      'review.decision.recorded',
      {
        approver: { subject: f.approver, issuer: 'https://login.acme.example', role: f.role ?? 'reviewer', mfa: f.mfa ?? true },
        checkpoint: f.checkpoint,
        decision: f.decision,
        ...(f.commit ? { commit: f.commit } : {}),
        rationale: `${f.decision} at ${f.checkpoint}`,
      },
      o,
      'urn:acme:code-review',
    ),
  changeOpened: (
    o: EventOptions,
    f: { changeId: string; repository: string; author: Principal; commits: string[]; aiGenerated: boolean; workItem?: string },
  ) => event('change.opened', change(f), o, 'urn:acme:github'),
  changeCommitted: (
    o: EventOptions,
    f: { changeId: string; repository: string; author: Principal; commits: string[]; aiGenerated: boolean },
  ) => event('change.committed', change(f), o, 'urn:acme:github'),
  changeMerged: (
    o: EventOptions,
    f: {
      changeId: string;
      repository: string;
      author: Principal;
      commits: string[];
      aiGenerated: boolean;
      mergedBy: Principal;
      mergeCommit: string;
    },
  ) => event('change.merged', { ...change(f), mergedBy: f.mergedBy, mergeCommit: f.mergeCommit }, o, 'urn:acme:github'),
  deployment: (
    o: EventOptions,
    f: { environment: string; changeIds: string[]; triggeredBy: Principal; artifact: string; deploymentId?: string },
  ) =>
    event(
      'deployment.completed',
      {
        environment: f.environment,
        ...(f.deploymentId ? { deploymentId: f.deploymentId } : {}),
        artifactDigest: digestOf(`artifact:${f.artifact}`),
        changeIds: f.changeIds,
        triggeredBy: f.triggeredBy,
      },
      o,
      'urn:acme:deployer',
    ),
  rollback: (
    o: EventOptions,
    f: { environment: string; changeIds: string[]; triggeredBy: Principal; artifact: string; restored: string; reason: string },
  ) =>
    event(
      'deployment.rolled_back',
      {
        environment: f.environment,
        artifactDigest: digestOf(`artifact:${f.artifact}`),
        changeIds: f.changeIds,
        triggeredBy: f.triggeredBy,
        restoredArtifactDigest: digestOf(`artifact:${f.restored}`),
        reason: f.reason,
      },
      o,
      'urn:acme:deployer',
    ),
  budgetCrossed: (
    o: EventOptions,
    f: { team: string; budget: string; spendUsd: number; thresholdUsd: number; limitUsd: number; month: string },
  ) =>
    event(
      'budget.threshold.crossed',
      {
        team: f.team,
        budget: f.budget,
        spendUsd: f.spendUsd,
        thresholdUsd: f.thresholdUsd,
        limitUsd: f.limitUsd,
        period: { start: `${f.month}-01T00:00:00Z`, end: nextMonth(f.month) },
      },
      o,
      'urn:acme:finops',
    ),
  // Settings are posted with an admin key, which the entry records (PRODUCER_ROLE_ATTRIBUTE).
  settings: (
    o: EventOptions,
    f: {
      allowedModels?: { provider: string; model: string; versions?: string[] }[];
      requiredScanKinds?: string[];
      deployApprovalEnvironments?: string[];
      assertion?: string;
    },
  ): CloudEvent => ({ ...event(GOVERNANCE_SETTINGS_TYPE, { ...f }, o, 'urn:acme:governance'), [PRODUCER_ROLE_ATTRIBUTE]: 'admin' }),
  // Management's response to an exception, posted with an admin key like the settings.
  exceptionResponse: (
    o: EventOptions,
    f: {
      exception: { eventId: string; rule: string };
      rootCause: string;
      remediation: string;
      owner: string;
      dueDate: string;
      status: 'open' | 'in-progress' | 'remediated' | 'risk-accepted';
    },
  ): CloudEvent => ({ ...event(EXCEPTION_RESPONSE_TYPE, { ...f }, o, 'urn:acme:governance'), [PRODUCER_ROLE_ATTRIBUTE]: 'admin' }),
};

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return `${next}-01T00:00:00Z`;
}
