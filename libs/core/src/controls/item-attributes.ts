import {
  AgentActionFact,
  DeploymentFact,
  EntryClocks,
  EntryRef,
  MergeFact,
  ModelCallFact,
  PopulationFacts,
  SettingsUpdateFact,
} from './population-facts';
import { ControlTestSpec, SEVERITIES, TestKind } from './template';

/** The attributes a test examined at one item, as text (a CSV cell each), by column name. */
export type ItemAttributes = Readonly<Record<string, string>>;

/**
 * The columns each test kind reports, in the order its CSV prints them. Tests of the log itself
 * and of the pack's retention examine no entry items, so they have none.
 */
const COLUMNS: Readonly<Record<TestKind, readonly string[]>> = {
  'independent-approval-before-merge': ['changeId', 'author', 'approvers', 'approvedAt', 'mergedAt', 'otherApprovers'],
  'scan-passed-before-merge': ['changeId', 'headCommit', 'headScans', 'worstSeverity'],
  'policy-evaluated-before-merge': ['changeId', 'policyDecisions'],
  'model-on-allow-list': ['model', 'allowListVersion', 'rejectedSettings'],
  'deploy-approved': ['environment', 'changes', 'deployApprovers'],
  'agent-within-scope': ['agent', 'taskId', 'action', 'target', 'withinScope', 'outcome'],
  'human-oversight-at-checkpoints': ['changeId', 'aiGenerated', 'independentApprovalsAt', 'deployApprovers'],
  'log-integrity-verified': [],
  'retention-met': [],
};

/** Whether a test examines entries of the log one by one (not the log or the pack as a whole). */
export function examinesItems(spec: ControlTestSpec): boolean {
  return spec.kind !== 'log-integrity-verified' && spec.kind !== 'retention-met';
}

export function columnsOf(spec: ControlTestSpec): readonly string[] {
  return COLUMNS[spec.kind];
}

/** The population's facts by sequence, built once for every control of a pack. */
export interface FactIndex {
  readonly merges: ReadonlyMap<number, MergeFact>;
  readonly deployments: ReadonlyMap<number, DeploymentFact>;
  readonly modelCalls: ReadonlyMap<number, ModelCallFact>;
  readonly agentActions: ReadonlyMap<number, AgentActionFact>;
  readonly settingsUpdates: ReadonlyMap<number, SettingsUpdateFact>;
  /** Every fact above by sequence, with its entry's event type. */
  readonly entries: ReadonlyMap<number, { readonly fact: EntryRef & EntryClocks; readonly type: string }>;
}

/** The event type of each kind of population fact. */
const TYPES = {
  merges: 'change.merged',
  deployments: 'deployment.completed',
  modelCalls: 'model.invocation.completed',
  agentActions: 'agent.action.performed',
  settingsUpdates: 'x.governance.settings.updated',
} as const;

export function indexFacts(facts: PopulationFacts): FactIndex {
  const bySequence = <T extends { sequence: number }>(list: readonly T[]) => {
    const map = new Map<number, T>();
    for (const x of list) if (!map.has(x.sequence)) map.set(x.sequence, x);
    return map;
  };
  const index = {
    merges: bySequence(facts.merges),
    deployments: bySequence(facts.deployments),
    modelCalls: bySequence(facts.modelCalls),
    agentActions: bySequence(facts.agentActions),
    settingsUpdates: bySequence(facts.settingsUpdates),
  };
  const entries = new Map<number, { fact: EntryRef & EntryClocks; type: string }>();
  for (const key of Object.keys(TYPES) as (keyof typeof TYPES)[])
    for (const [sequence, fact] of index[key]) if (!entries.has(sequence)) entries.set(sequence, { fact, type: TYPES[key] });
  return { ...index, entries };
}

const list = (values: readonly string[] | undefined) => (values && values.length > 0 ? values.join('; ') : 'none');

// What one test examined at one item, from the facts it decided on (libs/core/src/controls/
// test-kinds.ts): the approvals for an approval test, the head-commit scans for a scan test,
// and so on. A column a test kind does not fill for this item (a deployment in a merge test's
// control) is left to other tests, or empty.
export function attributesOf(spec: ControlTestSpec, sequence: number, index: FactIndex): ItemAttributes {
  const m = index.merges.get(sequence);
  const d = index.deployments.get(sequence);
  switch (spec.kind) {
    case 'independent-approval-before-merge':
      if (!m) return {};
      return {
        changeId: m.changeId,
        author: m.author ?? 'unknown',
        approvers: list(m.approvals?.map((a) => `${a.approver} at ${a.checkpoint}`)),
        approvedAt: m.approvals && m.approvals.length > 0 ? m.approvals.map((a) => a.recordedAt).sort()[m.approvals.length - 1] : 'never',
        mergedAt: m.recordedAt,
        otherApprovers: list(
          m.reviews
            .filter((r) => r.decision === 'approve' && !r.independent)
            .map((r) => `${r.approver} at ${r.checkpoint} (not independent)`),
        ),
      };
    case 'scan-passed-before-merge': {
      if (!m) return {};
      const head = m.scans.filter((s) => m.headCommit === undefined || s.commit === undefined || s.commit === m.headCommit);
      const worst = SEVERITIES.filter((sev) => head.some((s) => (s.findings[sev] ?? 0) > 0)).pop();
      return {
        changeId: m.changeId,
        headCommit: m.headCommit ?? 'unknown',
        headScans: list(head.map((s) => `${s.kind} ${s.passed ? 'passed' : 'failed'}`)),
        worstSeverity: worst ?? 'none',
      };
    }
    case 'policy-evaluated-before-merge':
      if (!m) return {};
      return { changeId: m.changeId, policyDecisions: list(m.policies) };
    case 'model-on-allow-list': {
      const call = index.modelCalls.get(sequence);
      if (call)
        return {
          model: call.model ?? 'unknown',
          allowListVersion: call.allowListVersion === undefined ? 'none set' : `settings entry ${call.allowListVersion}`,
        };
      const update = index.settingsUpdates.get(sequence);
      return update ? { rejectedSettings: list(update.rejected) } : {};
    }
    case 'deploy-approved':
      return d ? deployment(d) : {};
    case 'agent-within-scope': {
      const a = index.agentActions.get(sequence);
      if (!a) return {};
      return {
        agent: a.agent ?? 'unknown',
        taskId: a.taskId ?? 'none',
        action: a.action ?? 'unknown',
        target: a.target ?? 'none',
        withinScope: a.withinScope === undefined ? 'not reported' : String(a.withinScope),
        outcome: a.outcome ?? 'not reported',
      };
    }
    case 'human-oversight-at-checkpoints':
      if (m)
        return {
          changeId: m.changeId,
          aiGenerated: String(m.aiGenerated),
          independentApprovalsAt: list([
            ...new Set(m.reviews.filter((r) => r.decision === 'approve' && r.independent).map((r) => r.checkpoint)),
          ]),
        };
      return d ? { aiGenerated: String(d.aiGenerated), deployApprovers: list(d.approvers) } : {};
    case 'log-integrity-verified':
    case 'retention-met':
      return {};
  }
}

function deployment(d: DeploymentFact): ItemAttributes {
  return { environment: d.environment ?? 'unknown', changes: list(d.changeIds), deployApprovers: list(d.approvers) };
}
