import {
  AgentActionFact,
  applySettings,
  applyToChange,
  changeIdsOf,
  ChangeState,
  DEFAULT_LATE_EVIDENCE_HOURS,
  DEFAULT_SETTINGS,
  deployApprovals,
  DeploymentFact,
  emptyChangeState,
  EntryClocks,
  EntryRef,
  evaluateRules,
  ExceptionResponse,
  GOVERNANCE_SETTINGS_TYPE,
  GovernanceSettings,
  isIndependentApprover,
  isLate,
  ItemFact,
  LateEntryFact,
  mergeApprovals,
  MergeFact,
  ModelCallFact,
  needsDeployApproval,
  obj,
  PopulationFacts,
  principal,
  ProjectedEntry,
  ResponseFact,
  responseOf,
  RuleFinding,
  SettingsUpdateFact,
  str,
  strings,
  TaskGrant,
} from '@evidence-ledger/core';
import { InventoryFold } from './inventory-fold';
import { TimelineLine } from './timeline-line';

// The types of the population items the control tests examine (and may raise an exception at).
const EXAMINED_TYPES: ReadonlySet<string> = new Set([
  'change.merged',
  'deployment.completed',
  'model.invocation.completed',
  'agent.action.performed',
  GOVERNANCE_SETTINGS_TYPE,
]);

/** The period and scope a pack covers: entries recorded in [from, to), of the scoped repositories. */
export interface PopulationFilter {
  readonly from: string;
  readonly to: string;
  /** Repositories in scope; empty means every repository of the tenant. */
  readonly repositories: readonly string[];
  /** Late-evidence threshold (the template's; default 24 hours). */
  readonly lateEvidenceHours?: number;
}

/**
 * Folds a pack's entries, in sequence order, with the forensic projection's own reducers and
 * exception rules (the change state machine, governance settings, task grants), collecting
 * the facts the control tests read for the entries of the period. Entries before the period
 * are folded too — they carry the settings in force and the history of every change — but
 * nothing is counted at them. The service and the offline verifier both call this.
 */
export class PopulationFold {
  private settings: GovernanceSettings = DEFAULT_SETTINGS;
  private readonly changes = new Map<string, ChangeState>();
  private readonly tasks = new Map<string, TaskGrant>();
  private readonly scope: ReadonlySet<string>;
  private readonly findings: RuleFinding[] = [];
  private readonly merges: MergeFact[] = [];
  private readonly deployments: DeploymentFact[] = [];
  private readonly modelCalls: ModelCallFact[] = [];
  private readonly agentActions: AgentActionFact[] = [];
  private readonly settingsUpdates: SettingsUpdateFact[] = [];
  private readonly lateEntries: LateEntryFact[] = [];
  private readonly steps = new Map<string, number[]>();
  private readonly inventory = new InventoryFold();
  /** The tenant's own assertion wording in force, and the settings entry that set it. */
  private assertion?: { text: string; sequence: number };
  private readonly responses: ExceptionResponse[] = [];
  // The entries an exception can be raised at (findings and the items the tests examine), by
  // event id (lowercase), so a response naming one finds its sequence.
  private readonly examined = new Map<string, number>();
  private population = 0;
  private populationFirst?: number;

  constructor(
    private readonly filter: PopulationFilter,
    /** Keep each change's steps, for the report's sampled timelines. */
    private readonly keepTimelines = false,
  ) {
    this.scope = new Set(filter.repositories);
  }

  /** Whether an entry recorded at `recordedAt` belongs to the period. */
  inPeriod(recordedAt: string): boolean {
    return recordedAt >= this.filter.from && recordedAt < this.filter.to;
  }

  /** Folds the next entry; `leafHash` is its RFC 6962 leaf hash, which the facts cite it by. */
  add(e: ProjectedEntry, leafHash: Uint8Array): void {
    let rejectedSettings: readonly string[] = [];
    if (e.type === GOVERNANCE_SETTINGS_TYPE) {
      const update = applySettings(this.settings, e);
      // Applied (not refused for its role or its form) and naming an assertion: the wording in force from here.
      if (update.settings !== this.settings && update.settings.assertion !== undefined && update.settings.assertion === e.data.assertion)
        this.assertion = { text: update.settings.assertion, sequence: e.sequence };
      this.settings = update.settings;
      rejectedSettings = update.rejected;
    }
    const changes = changeIdsOf(e).map((id) => {
      let state = this.changes.get(id);
      if (!state) this.changes.set(id, (state = emptyChangeState(id)));
      return applyToChange(state, e);
    });
    if (this.keepTimelines) for (const c of changes) this.step(c.changeId, e);
    const task = this.task(e);
    const found = evaluateRules({ entry: e, changes, settings: this.settings, rejectedSettings, task });
    this.addResponse(e);
    if (!this.inPeriod(e.recordedAt)) return;
    this.population++;
    this.populationFirst ??= e.sequence;
    const inScope = (changeId?: string) => changeId === undefined || this.inScope(this.changes.get(changeId));
    const clocks = clocksOf(e);
    // Built only for an entry a fact cites: most entries of a period are not population items.
    let cited: EntryRef | undefined;
    const ref = (): EntryRef =>
      (cited ??= {
        sequence: e.sequence,
        eventId: e.id,
        leafHash: Buffer.from(leafHash.buffer, leafHash.byteOffset, leafHash.byteLength).toString('hex'),
      });
    for (const f of found)
      if (inScope(f.changeId)) {
        this.examined.set(e.id.toLowerCase(), e.sequence);
        this.findings.push({
          rule: f.rule,
          ...ref(),
          ...(f.changeId !== undefined ? { changeId: f.changeId } : {}),
          reason: f.reason,
          ...clocks,
        });
      }
    const scoped = changes.filter((c) => this.inScope(c));
    const first = scoped[0]?.changeId;
    const item = (): ItemFact => ({ ...ref(), ...(first !== undefined ? { changeId: first } : {}), ...clocks });
    if (changes.length > 0 && scoped.length === 0) return;
    this.inventory.add(e, scoped);
    if (EXAMINED_TYPES.has(e.type)) this.examined.set(e.id.toLowerCase(), e.sequence);
    if (e.time !== undefined && isLate(clocks, this.filter.lateEvidenceHours ?? DEFAULT_LATE_EVIDENCE_HOURS))
      this.lateEntries.push({
        ...ref(),
        type: e.type,
        ...(first !== undefined ? { changeId: first } : {}),
        recordedAt: e.recordedAt,
        time: e.time,
      });
    switch (e.type) {
      case 'change.merged':
        for (const c of scoped) this.merges.push(mergeFact(c, ref(), clocks));
        break;
      case 'deployment.completed':
        if (needsDeployApproval(this.settings, str(e.data, 'environment')))
          this.deployments.push({
            ...item(),
            changeIds: scoped.map((c) => c.changeId),
            ...(str(e.data, 'environment') !== undefined ? { environment: str(e.data, 'environment') } : {}),
            aiGenerated: scoped.some((c) => c.aiGenerated === true),
            approvers: [...new Set(scoped.flatMap((c) => deployApprovals(c).map((r) => r.approver.subject)))],
          });
        break;
      case 'model.invocation.completed': {
        const d = e.data;
        this.modelCalls.push({
          ...item(),
          model: `${str(d, 'provider') ?? '?'}/${str(d, 'model') ?? '?'}@${str(d, 'modelVersion') ?? '?'}`,
          ...(this.settings.allowedModels !== undefined && this.settings.sequence !== undefined
            ? { allowListVersion: this.settings.sequence }
            : {}),
        });
        break;
      }
      case 'agent.action.performed': {
        const agent = str(obj(e.data, 'agent'), 'id') ?? e.actor?.id;
        const taskId = str(e.data, 'taskId');
        const action = str(e.data, 'kind');
        const target = str(e.data, 'target');
        const withinScope = e.data.withinScope;
        const outcome = str(e.data, 'outcome');
        this.agentActions.push({
          ...item(),
          ...(agent !== undefined ? { agent } : {}),
          ...(taskId !== undefined ? { taskId } : {}),
          ...(action !== undefined ? { action } : {}),
          ...(target !== undefined ? { target } : {}),
          ...(typeof withinScope === 'boolean' ? { withinScope } : {}),
          ...(outcome !== undefined ? { outcome } : {}),
        });
        break;
      }
      case GOVERNANCE_SETTINGS_TYPE:
        this.settingsUpdates.push({ ...item(), rejected: [...rejectedSettings] });
        break;
    }
  }

  /**
   * Folds a management response recorded after the period (up to the pack's checkpoint): it
   * is shown on the exception it answers, and counts for nothing else.
   */
  addResponse(e: ProjectedEntry): void {
    const response = responseOf(e);
    if (response) this.responses.push(response);
  }

  facts(): PopulationFacts {
    const responses: ResponseFact[] = [];
    for (const r of this.responses) {
      const exceptionSequence = this.examined.get(r.exception.eventId);
      if (exceptionSequence !== undefined) responses.push({ ...r, exceptionSequence });
    }
    return {
      entries: this.population,
      findings: this.findings,
      merges: this.merges,
      deployments: this.deployments,
      modelCalls: this.modelCalls,
      agentActions: this.agentActions,
      settingsUpdates: this.settingsUpdates,
      lateEntries: this.lateEntries,
      inventory: this.inventory.inventory(),
      ...(this.assertion ? { assertion: this.assertion } : {}),
      ...(responses.length > 0 ? { responses } : {}),
    };
  }

  /** The first sequence of the period, when the period holds any entry. */
  get firstPopulationSequence(): number | undefined {
    return this.populationFirst;
  }

  /** The sequences of a change's entries folded so far (when timelines are kept). */
  timeline(changeId: string): readonly number[] {
    return this.steps.get(changeId) ?? [];
  }

  private step(changeId: string, e: ProjectedEntry): void {
    const list = this.steps.get(changeId);
    if (list) list.push(e.sequence);
    else this.steps.set(changeId, [e.sequence]);
  }

  /** The state of a change as of the last entry folded. */
  change(changeId: string): ChangeState | undefined {
    return this.changes.get(changeId);
  }

  private inScope(state: ChangeState | undefined): boolean {
    return this.scope.size === 0 || (state?.repository !== undefined && this.scope.has(state.repository));
  }

  // Task grants are tenant-wide, as in the forensic projection: an action may name a task
  // requested for no change. Returns the grant an agent action refers to.
  private task(e: ProjectedEntry): TaskGrant | undefined {
    const taskId = str(e.data, 'taskId');
    if (!taskId) return undefined;
    if (e.type === 'agent.action.performed') return this.tasks.get(taskId);
    if (e.type !== 'agent.task.requested') return undefined;
    const agent = obj(e.data, 'agent');
    const agentId = str(agent, 'id');
    if (!agentId) return undefined;
    const scope = obj(e.data, 'scope');
    this.tasks.set(taskId, {
      taskId,
      agent: { id: agentId, version: str(agent, 'version') },
      requestedBy: principal(e.data, 'requestedBy'),
      scope: { paths: strings(scope, 'paths'), permissions: strings(scope, 'permissions') },
      sequence: e.sequence,
    });
    return undefined;
  }
}

function clocksOf(e: ProjectedEntry): EntryClocks {
  return { recordedAt: e.recordedAt, ...(e.time !== undefined ? { time: e.time } : {}) };
}

function mergeFact(c: ChangeState, ref: EntryRef, clocks: EntryClocks): MergeFact {
  return {
    ...ref,
    ...clocks,
    changeId: c.changeId,
    aiGenerated: c.aiGenerated === true,
    ...(c.author !== undefined ? { author: c.author.id } : {}),
    ...(c.headCommit !== undefined ? { headCommit: c.headCommit } : {}),
    scans: c.scans.map((s) => ({
      kind: s.kind,
      passed: s.passed,
      ...(s.commit !== undefined ? { commit: s.commit } : {}),
      findings: s.findings,
      sequence: s.sequence,
    })),
    policyDecisions: c.policies.length,
    policies: c.policies.map((p) => `${p.policyId}: ${p.decision}`),
    reviews: c.reviews.map((r) => ({
      checkpoint: r.checkpoint,
      decision: r.decision,
      approver: r.approver.subject,
      independent: isIndependentApprover(c, r.approver.subject),
      sequence: r.sequence,
    })),
    approvals: mergeApprovals(c).map((r) => ({ approver: r.approver.subject, checkpoint: r.checkpoint, recordedAt: r.recordedAt })),
  };
}

/** One entry as a line of a change timeline in the report, with both clocks. */
export function timelineLine(e: ProjectedEntry, leafHash: Uint8Array, lateEvidenceHours = DEFAULT_LATE_EVIDENCE_HOURS): TimelineLine {
  const clocks = clocksOf(e);
  return {
    sequence: e.sequence,
    eventId: e.id,
    leafHash: Buffer.from(leafHash).toString('hex'),
    ...clocks,
    ...(isLate(clocks, lateEvidenceHours) ? { late: true } : {}),
    type: e.type,
    ...(e.actor ? { actor: e.actor.id } : {}),
    note: noteOf(e),
  };
}

// A few words on what a step says, for the report's timelines.
function noteOf(e: ProjectedEntry): string {
  const d = e.data;
  switch (e.type) {
    case 'review.decision.recorded':
      return `${str(d, 'decision') ?? '?'} at ${str(d, 'checkpoint') ?? '?'} by ${str(obj(d, 'approver'), 'subject') ?? '?'}`;
    case 'scan.completed':
      return `${str(d, 'kind') ?? '?'} ${d.passed === true ? 'passed' : 'failed'}`;
    case 'policy.decision.recorded':
      return `${str(d, 'policyId') ?? '?'}: ${str(d, 'decision') ?? '?'}`;
    case 'model.invocation.completed':
      return `${str(d, 'provider') ?? '?'}/${str(d, 'model') ?? '?'}@${str(d, 'modelVersion') ?? '?'}`;
    case 'agent.action.performed':
      return `${str(d, 'kind') ?? '?'} ${str(d, 'target') ?? ''}`.trim();
    case 'deployment.completed':
    case 'deployment.rolled_back':
      return str(d, 'environment') ?? '';
    case 'exception.response.recorded':
      return `response to ${str(obj(d, 'exception'), 'rule') ?? '?'}: ${str(d, 'status') ?? '?'}`;
    default:
      return '';
  }
}
