import { bool, Data, num, obj, principal, str, strings } from './event-data';
import { ChangeStatus } from './change-status';
import { EXCEPTION_RESPONSE_TYPE } from './exception-response';
import { GOVERNANCE_SETTINGS_TYPE } from './governance-settings';
import { ProjectedActor, ProjectedEntry } from './projected-entry';

/** One line of a change's timeline: what happened, who did it, and where the change stood after. */
export interface TimelineStep {
  readonly sequence: number;
  readonly eventId: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly time?: string;
  readonly source: string;
  readonly actor?: ProjectedActor;
  /** One human-readable sentence, derived from the entry's data. */
  readonly summary: string;
  /** The change's status right after this entry. */
  readonly status?: ChangeStatus;
}

export function describeStep(entry: ProjectedEntry, status: ChangeStatus | undefined): TimelineStep {
  const describe = SUMMARIES[entry.type];
  return {
    sequence: entry.sequence,
    eventId: entry.id,
    type: entry.type,
    recordedAt: entry.recordedAt,
    time: entry.time,
    source: entry.source,
    actor: entry.actor,
    summary: describe ? describe(entry.data) : entry.type,
    status,
  };
}

const who = (d: Data, key: string): string => principal(d, key)?.id ?? 'someone';
const short = (s: string | undefined, n = 12): string => (s === undefined ? '?' : s.replace(/^sha256:/, '').slice(0, n));

const SUMMARIES: Readonly<Record<string, (d: Data) => string>> = {
  'agent.task.requested': (d) => {
    const agent = obj(d, 'agent');
    const version = str(agent, 'version');
    const task = str(d, 'summary') ?? `task ${str(d, 'taskId') ?? '?'}`;
    return `${who(d, 'requestedBy')} asked ${str(agent, 'id') ?? 'an agent'}${version ? ` ${version}` : ''} to work on ${str(d, 'repository') ?? '?'}: ${task} (paths ${strings(obj(d, 'scope'), 'paths').join(', ') || 'none'})`;
  },
  'agent.action.performed': (d) => {
    const scope = bool(d, 'withinScope') === false ? 'OUTSIDE its scope' : 'within scope';
    return `${str(obj(d, 'agent'), 'id') ?? 'an agent'} ${str(d, 'kind') ?? 'acted'} ${str(d, 'target') ?? '?'} — ${scope}${str(d, 'outcome') ? `, ${str(d, 'outcome')}` : ''}`;
  },
  'model.invocation.completed': (d) =>
    `${str(d, 'provider') ?? '?'}/${str(d, 'model') ?? '?'} version ${str(d, 'modelVersion') ?? '?'}: ${num(d, 'tokensIn') ?? 0} + ${num(d, 'tokensOut') ?? 0} tokens, $${(num(d, 'costUsd') ?? 0).toFixed(4)}`,
  'policy.decision.recorded': (d) => {
    const violated = strings(d, 'violatedRules');
    return `${str(d, 'engine') ?? 'policy'} ${str(d, 'policyId') ?? '?'} v${str(d, 'policyVersion') ?? '?'}: ${str(d, 'decision') === 'deny' ? 'DENY' : 'allow'}${violated.length ? ` (${violated.join(', ')})` : ''}`;
  },
  'scan.completed': (d) => {
    const tool = obj(d, 'tool');
    const findings = obj(d, 'findings');
    const counts = ['critical', 'high', 'medium', 'low']
      .map((s) => [s, num(findings, s) ?? 0] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`);
    return `${str(tool, 'name') ?? 'scanner'} ${str(tool, 'version') ?? ''} ${str(d, 'kind') ?? ''} scan of ${short(str(d, 'commit'))}: ${bool(d, 'passed') ? 'passed' : 'FAILED'}${counts.length ? ` (${counts.join(', ')})` : ''}`.replace(
      / +/g,
      ' ',
    );
  },
  'review.decision.recorded': (d) => {
    const a = obj(d, 'approver');
    const role = str(a, 'role');
    return `${str(a, 'subject') ?? 'someone'}${role ? ` (${role}${bool(a, 'mfa') ? ', MFA' : ''})` : ''}: ${str(d, 'decision') ?? '?'} at the ${str(d, 'checkpoint') ?? '?'} checkpoint${str(d, 'commit') ? ` on ${short(str(d, 'commit'))}` : ''}`;
  },
  'change.opened': (d) => {
    const author = principal(d, 'author');
    return `opened by ${author ? `${author.kind} ${author.id}` : 'someone'}${bool(d, 'aiGenerated') ? ', AI-generated' : ''}${str(d, 'workItem') ? ` for ${str(d, 'workItem')}` : ''}`;
  },
  'change.committed': (d) =>
    `${strings(d, 'commits').length} commit(s) pushed by ${who(d, 'author')}, head ${short(strings(d, 'commits').at(-1))}`,
  'change.merged': (d) => `merged by ${who(d, 'mergedBy')}${str(d, 'mergeCommit') ? ` as ${short(str(d, 'mergeCommit'))}` : ''}`,
  'deployment.completed': (d) =>
    `deployed to ${str(d, 'environment') ?? '?'} (artifact ${short(str(d, 'artifactDigest'))}) by ${who(d, 'triggeredBy')}`,
  'deployment.rolled_back': (d) =>
    `rolled back in ${str(d, 'environment') ?? '?'} by ${who(d, 'triggeredBy')}${str(d, 'reason') ? `: ${str(d, 'reason')}` : ''}`,
  'budget.threshold.crossed': (d) =>
    `${str(d, 'team') ?? '?'} crossed $${num(d, 'thresholdUsd') ?? '?'} of budget ${str(d, 'budget') ?? '?'}`,
  [GOVERNANCE_SETTINGS_TYPE]: () => 'governance settings updated',
  [EXCEPTION_RESPONSE_TYPE]: (d) =>
    `management response to ${str(obj(d, 'exception'), 'rule') ?? '?'}: ${str(d, 'status') ?? '?'}, owner ${str(d, 'owner') ?? '?'}, due ${str(d, 'dueDate') ?? '?'}`,
};
