import { ChangeStatus, nextStatus } from './change-status';
import { bool, Data, num, obj, principal, PrincipalRef, str, strings } from './event-data';
import { ProjectedEntry } from './projected-entry';

/** A status the change entered, and the entry that moved it there. */
export interface StatusChange {
  readonly status: ChangeStatus;
  readonly sequence: number;
  readonly recordedAt: string;
  /** The entry's `time` (occurred, producer's clock), when the producer sent one. */
  readonly time?: string;
}

export interface TaskGrant {
  readonly taskId: string;
  readonly agent: { readonly id: string; readonly version?: string };
  readonly requestedBy?: PrincipalRef;
  readonly scope: { readonly paths: readonly string[]; readonly permissions: readonly string[] };
  readonly sequence: number;
}

export interface ModelUse {
  readonly provider: string;
  readonly model: string;
  readonly modelVersion: string;
  calls: number;
  tokensIn: number;
  tokensOut: number;
  /** Cost in millionths of a US dollar: integer sums, identical however the log is batched. */
  costMicros: number;
}

export interface PolicyVerdict {
  readonly engine?: string;
  readonly policyId: string;
  readonly policyVersion?: string;
  readonly bundleDigest?: string;
  readonly decision: 'allow' | 'deny';
  readonly violatedRules: readonly string[];
  readonly sequence: number;
  readonly recordedAt: string;
  /** The entry's `time` (occurred, producer's clock), when the producer sent one. */
  readonly time?: string;
}

export interface ScanResult {
  readonly kind: string;
  readonly tool?: string;
  readonly toolVersion?: string;
  readonly commit?: string;
  readonly passed: boolean;
  readonly findings: Readonly<Record<string, number>>;
  readonly sequence: number;
  readonly recordedAt: string;
  /** The entry's `time` (occurred, producer's clock), when the producer sent one. */
  readonly time?: string;
}

export interface Approver {
  readonly subject: string;
  readonly issuer?: string;
  readonly role?: string;
  readonly mfa?: boolean;
}

export interface ReviewDecision {
  readonly checkpoint: string;
  readonly decision: string;
  readonly approver: Approver;
  readonly commit?: string;
  readonly sequence: number;
  readonly recordedAt: string;
  /** The entry's `time` (occurred, producer's clock), when the producer sent one. */
  readonly time?: string;
}

export interface DeploymentRecord {
  readonly outcome: 'deployed' | 'rolled_back';
  readonly environment?: string;
  readonly deploymentId?: string;
  readonly artifactDigest?: string;
  readonly triggeredBy?: PrincipalRef;
  readonly sequence: number;
  readonly recordedAt: string;
  /** The entry's `time` (occurred, producer's clock), when the producer sent one. */
  readonly time?: string;
}

/**
 * Everything the log says about one change, folded from its entries in sequence order
 * (`applyToChange`). The change timeline stores it; a replay as of any point recomputes it
 * with the same function from exactly the entries up to that point. Plain JSON, no wall
 * clock: the same entries always fold to the same canonical bytes.
 */
export interface ChangeState {
  readonly changeId: string;
  repository?: string;
  /** The first `team` extension attribute seen on the change's events. */
  team?: string;
  status?: ChangeStatus;
  history: StatusChange[];
  author?: PrincipalRef;
  aiGenerated?: boolean;
  workItem?: string;
  baseBranch?: string;
  opened?: { sequence: number; recordedAt: string; time?: string };
  commits: string[];
  /** The last commit pushed (last of the latest change.opened / change.committed). */
  headCommit?: string;
  tasks: TaskGrant[];
  /** Ids of the AI agents that worked on the change (author, task agents, agent actors). */
  agents: string[];
  actions: { total: number; outsideScope: number; blocked: number };
  models: ModelUse[];
  policies: PolicyVerdict[];
  scans: ScanResult[];
  reviews: ReviewDecision[];
  merged?: { sequence: number; recordedAt: string; time?: string; mergedBy?: PrincipalRef; mergeCommit?: string };
  deployments: DeploymentRecord[];
  events: number;
  firstSequence?: number;
  lastSequence?: number;
  firstRecordedAt?: string;
  lastRecordedAt?: string;
  /** The `time` (occurred, producer's clock) of the first and last entry, when they carry one. */
  firstTime?: string;
  lastTime?: string;
}

export function emptyChangeState(changeId: string): ChangeState {
  return {
    changeId,
    history: [],
    commits: [],
    tasks: [],
    agents: [],
    actions: { total: 0, outsideScope: 0, blocked: 0 },
    models: [],
    policies: [],
    scans: [],
    reviews: [],
    deployments: [],
    events: 0,
  };
}

// The reducer: folds one entry of the change into its state, in place, and returns it.
// Callers own the state they pass (the runner its cached copy, a replay a fresh one).
export function applyToChange(state: ChangeState, entry: ProjectedEntry): ChangeState {
  const { data, sequence, recordedAt, time } = entry;
  if (state.events === 0) state.firstTime = time;
  state.events += 1;
  state.firstSequence ??= sequence;
  state.firstRecordedAt ??= recordedAt;
  state.lastSequence = sequence;
  state.lastRecordedAt = recordedAt;
  state.lastTime = time;
  state.team ??= entry.team;
  if (entry.actor?.kind === 'agent') addOnce(state.agents, entry.actor.id);

  const status = nextStatus(state.status, entry.type);
  if (status !== undefined && status !== state.status) {
    state.status = status;
    state.history.push({ status, sequence, recordedAt, time });
  }
  const fold = FOLDS[entry.type];
  if (fold) fold(state, data, entry);
  return state;
}

/** Folds `entries` (in sequence order) into a fresh state: what a replay computes. */
export function foldChange(changeId: string, entries: Iterable<ProjectedEntry>): ChangeState {
  const state = emptyChangeState(changeId);
  for (const e of entries) applyToChange(state, e);
  return state;
}

type Fold = (state: ChangeState, data: Data, entry: ProjectedEntry) => void;

const FOLDS: Readonly<Record<string, Fold>> = {
  'change.opened': (s, d, e) => {
    foldChangeData(s, d, true);
    s.opened ??= { sequence: e.sequence, recordedAt: e.recordedAt, time: e.time };
  },
  'change.committed': (s, d) => foldChangeData(s, d, true),
  'change.merged': (s, d, e) => {
    foldChangeData(s, d, false);
    s.merged = {
      sequence: e.sequence,
      recordedAt: e.recordedAt,
      time: e.time,
      mergedBy: principal(d, 'mergedBy'),
      mergeCommit: str(d, 'mergeCommit'),
    };
  },
  'agent.task.requested': (s, d, e) => {
    const agent = obj(d, 'agent');
    const agentId = str(agent, 'id');
    const taskId = str(d, 'taskId');
    s.repository ??= str(d, 'repository');
    if (agentId) addOnce(s.agents, agentId);
    if (!taskId || !agentId) return;
    const scope = obj(d, 'scope');
    s.tasks.push({
      taskId,
      agent: { id: agentId, version: str(agent, 'version') },
      requestedBy: principal(d, 'requestedBy'),
      scope: { paths: strings(scope, 'paths'), permissions: strings(scope, 'permissions') },
      sequence: e.sequence,
    });
  },
  'agent.action.performed': (s, d) => {
    const agentId = str(obj(d, 'agent'), 'id');
    if (agentId) addOnce(s.agents, agentId);
    s.actions.total += 1;
    if (bool(d, 'withinScope') === false) s.actions.outsideScope += 1;
    if (str(d, 'outcome') === 'blocked') s.actions.blocked += 1;
  },
  'model.invocation.completed': (s, d) => {
    const provider = str(d, 'provider');
    const model = str(d, 'model');
    const modelVersion = str(d, 'modelVersion');
    if (!provider || !model || !modelVersion) return;
    let use = s.models.find((m) => m.provider === provider && m.model === model && m.modelVersion === modelVersion);
    if (!use) s.models.push((use = { provider, model, modelVersion, calls: 0, tokensIn: 0, tokensOut: 0, costMicros: 0 }));
    use.calls += 1;
    use.tokensIn += count(num(d, 'tokensIn'));
    use.tokensOut += count(num(d, 'tokensOut'));
    use.costMicros += costMicros(num(d, 'costUsd'));
  },
  'policy.decision.recorded': (s, d, e) => {
    const policyId = str(d, 'policyId');
    const decision = str(d, 'decision');
    if (!policyId || (decision !== 'allow' && decision !== 'deny')) return;
    s.policies.push({
      engine: str(d, 'engine'),
      policyId,
      policyVersion: str(d, 'policyVersion'),
      bundleDigest: str(d, 'bundleDigest'),
      decision,
      violatedRules: strings(d, 'violatedRules'),
      sequence: e.sequence,
      recordedAt: e.recordedAt,
      time: e.time,
    });
  },
  'scan.completed': (s, d, e) => {
    const kind = str(d, 'kind');
    const passed = bool(d, 'passed');
    if (!kind || passed === undefined) return;
    s.repository ??= str(d, 'repository');
    const tool = obj(d, 'tool');
    const findings: Record<string, number> = {};
    for (const [severity, n] of Object.entries(obj(d, 'findings'))) if (typeof n === 'number') findings[severity] = n;
    s.scans.push({
      kind,
      tool: str(tool, 'name'),
      toolVersion: str(tool, 'version'),
      commit: str(d, 'commit'),
      passed,
      findings,
      sequence: e.sequence,
      recordedAt: e.recordedAt,
      time: e.time,
    });
  },
  'review.decision.recorded': (s, d, e) => {
    const review = reviewOf(d, e);
    if (review) s.reviews.push(review);
  },
  'deployment.completed': (s, d, e) => s.deployments.push(deploymentOf('deployed', d, e)),
  'deployment.rolled_back': (s, d, e) => s.deployments.push(deploymentOf('rolled_back', d, e)),
};

// change.opened / committed / merged share their fields; opened and committed push commits.
function foldChangeData(s: ChangeState, d: Data, pushesCommits: boolean): void {
  s.repository = str(d, 'repository') ?? s.repository;
  const author = principal(d, 'author');
  if (author) {
    s.author ??= author;
    if (author.kind === 'agent') addOnce(s.agents, author.id);
  }
  const ai = bool(d, 'aiGenerated');
  if (ai !== undefined) s.aiGenerated = (s.aiGenerated ?? false) || ai;
  s.workItem ??= str(d, 'workItem');
  s.baseBranch ??= str(d, 'baseBranch');
  const commits = strings(d, 'commits');
  for (const c of commits) addOnce(s.commits, c);
  if (pushesCommits && commits.length > 0) s.headCommit = commits[commits.length - 1];
}

/** A review decision as the change and the approvals register record it. */
export function reviewOf(d: Data, e: ProjectedEntry): ReviewDecision | undefined {
  const approver = obj(d, 'approver');
  const subject = str(approver, 'subject');
  const checkpoint = str(d, 'checkpoint');
  const decision = str(d, 'decision');
  if (!subject || !checkpoint || !decision) return undefined;
  return {
    checkpoint,
    decision,
    approver: { subject, issuer: str(approver, 'issuer'), role: str(approver, 'role'), mfa: bool(approver, 'mfa') },
    commit: str(d, 'commit'),
    sequence: e.sequence,
    recordedAt: e.recordedAt,
    time: e.time,
  };
}

function deploymentOf(outcome: DeploymentRecord['outcome'], d: Data, e: ProjectedEntry): DeploymentRecord {
  return {
    outcome,
    environment: str(d, 'environment'),
    deploymentId: str(d, 'deploymentId'),
    artifactDigest: str(d, 'artifactDigest'),
    triggeredBy: principal(d, 'triggeredBy'),
    sequence: e.sequence,
    recordedAt: e.recordedAt,
    time: e.time,
  };
}

function addOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/** A non-negative integer count; anything else counts as 0. */
export function count(n: number | undefined): number {
  return n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/** US dollars as integer millionths (rounded), so sums never drift with batching. */
export function costMicros(usd: number | undefined): number {
  return usd !== undefined && usd > 0 ? Math.round(usd * 1e6) : 0;
}
