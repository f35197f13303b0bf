import {
  applySettings,
  applyToChange,
  ApprovalDoc,
  BudgetAlertDoc,
  canonicalJson,
  changeIdsOf,
  costMicros,
  count,
  describeStep,
  evaluateRules,
  EXCEPTION_RULES,
  ExceptionDoc,
  ExceptionRule,
  exceptionKey,
  ResponseDoc,
  responseOf,
  GOVERNANCE_SETTINGS_TYPE,
  isIndependentApprover,
  ModelUsageDoc,
  num,
  obj,
  occurredAtColumn,
  principal,
  ProjectedEntry,
  reviewOf,
  SpendDoc,
  str,
  strings,
} from '@evidence-ledger/core';
import { RowUpsert } from '@evidence-ledger/store';
import { FORENSICS_TABLES, rowKey } from './forensics-tables';
import { ChangeRecord, ForensicsWorkingSet, StoredTask } from './forensics-working-set';
import { Projection, RowSource } from './projection';

export const FORENSICS_PROJECTION = 'forensics';

/** The team model spend is attributed to when neither the event nor its change names one. */
export const UNASSIGNED_TEAM = 'unassigned';

const MAX_CHANGES_PER_MODEL = 1000;

/**
 * The forensics tables — change timelines, control exceptions, model inventory,
 * approvals register, spend by team — as one projection with one position: the exception
 * rules read each change's state as of the entry being applied, so the forensics tables are
 * folded together, entry by entry, and always agree with each other.
 */
export class ForensicsProjection implements Projection {
  readonly name = FORENSICS_PROJECTION;
  readonly tables = Object.values(FORENSICS_TABLES);

  constructor(private readonly rules: readonly ExceptionRule[] = EXCEPTION_RULES) {}

  async apply(entries: readonly ProjectedEntry[], rows: RowSource): Promise<RowUpsert[]> {
    const set = new ForensicsWorkingSet(rows);
    const taskIds = new Set<string>();
    const changeIds = new Set<string>();
    for (const e of entries) {
      for (const id of changeIdsOf(e)) changeIds.add(id);
      const taskId = str(e.data, 'taskId');
      if (taskId && (e.type === 'agent.task.requested' || e.type === 'agent.action.performed')) taskIds.add(taskId);
    }
    await set.preload([...changeIds], [...taskIds]);
    for (const e of entries) await this.applyEntry(set, e);
    return set.upserts();
  }

  private async applyEntry(set: ForensicsWorkingSet, e: ProjectedEntry): Promise<void> {
    let rejectedSettings: readonly string[] = [];
    if (e.type === GOVERNANCE_SETTINGS_TYPE) {
      const update = applySettings(set.settings, e);
      set.updateSettings(update.settings);
      rejectedSettings = update.rejected;
    }
    const changes = changeIdsOf(e).map((id) => set.change(id));
    for (const c of changes) {
      applyToChange(c.doc.state, e);
      const step = describeStep(e, c.doc.state.status);
      set.insert(
        'timeline',
        rowKey.timeline(c.doc.state.changeId, e.sequence),
        e.sequence,
        { change_id: c.doc.state.changeId, recorded_at: e.recordedAt, occurred_at: occurredAtColumn(e) },
        step,
      );
    }
    const task = this.recordTask(set, e);
    if (e.type === 'review.decision.recorded') this.recordApproval(set, e, changes[0]);
    if (e.type === 'model.invocation.completed') await this.recordModelCall(set, e, changes[0]);
    if (e.type === 'budget.threshold.crossed') this.recordBudgetAlert(set, e);
    await this.recordResponse(set, e);

    const findings = evaluateRules(
      { entry: e, changes: changes.map((c) => c.doc.state), settings: set.settings, rejectedSettings, task },
      this.rules,
    );
    for (const f of findings) {
      const number = ++set.counters.exceptions;
      const change = changes.find((c) => c.doc.state.changeId === f.changeId);
      const rule = this.rules.find((r) => r.id === f.rule);
      const doc: ExceptionDoc = {
        number,
        rule: f.rule,
        title: rule?.title ?? f.rule,
        changeId: f.changeId,
        repository: change?.doc.state.repository,
        sequence: e.sequence,
        eventId: e.id,
        type: e.type,
        recordedAt: e.recordedAt,
        time: e.time,
        actor: e.actor,
        reason: f.reason,
        details: f.details,
      };
      const columns = {
        rule: f.rule,
        change_id: f.changeId ?? null,
        repository: doc.repository ?? null,
        sequence: e.sequence,
        recorded_at: e.recordedAt,
        occurred_at: occurredAtColumn(e),
      };
      await set.putException(exceptionKey({ eventId: e.id, rule: f.rule }), columns, doc);
      change?.doc.exceptions.push({ number, rule: f.rule, sequence: e.sequence });
    }
  }

  // Task grants are kept tenant-wide (an action may name a task requested for no change);
  // returns the grant an agent action refers to, as the rules need it.
  private recordTask(set: ForensicsWorkingSet, e: ProjectedEntry): StoredTask | undefined {
    const taskId = str(e.data, 'taskId');
    if (e.type === 'agent.action.performed') return set.task(taskId);
    if (e.type !== 'agent.task.requested' || !taskId) return undefined;
    const agent = obj(e.data, 'agent');
    const agentId = str(agent, 'id');
    if (!agentId) return undefined;
    const scope = obj(e.data, 'scope');
    set.putTask({
      taskId,
      agent: { id: agentId, version: str(agent, 'version') },
      requestedBy: principal(e.data, 'requestedBy'),
      scope: { paths: strings(scope, 'paths'), permissions: strings(scope, 'permissions') },
      sequence: e.sequence,
      changeId: e.changeid,
    });
    return undefined;
  }

  private recordApproval(set: ForensicsWorkingSet, e: ProjectedEntry, change: ChangeRecord | undefined): void {
    const review = reviewOf(e.data, e);
    if (!review) return;
    const state = change?.doc.state;
    const doc: ApprovalDoc = {
      sequence: e.sequence,
      eventId: e.id,
      changeId: state?.changeId,
      repository: state?.repository,
      checkpoint: review.checkpoint,
      decision: review.decision,
      approver: review.approver,
      commit: review.commit,
      rationale: str(e.data, 'rationale'),
      recordedAt: e.recordedAt,
      time: e.time,
      independent: state ? isIndependentApprover(state, review.approver.subject) : undefined,
      author: state?.author?.id,
    };
    const columns = {
      change_id: doc.changeId ?? null,
      repository: doc.repository ?? null,
      checkpoint: doc.checkpoint,
      decision: doc.decision,
      approver: doc.approver.subject,
      recorded_at: e.recordedAt,
      occurred_at: occurredAtColumn(e),
    };
    set.insert('approvals', rowKey.numbered(e.sequence), e.sequence, columns, doc);
  }

  // The inventory row of the exact model version and the team's monthly spend. The team is
  // the event's `team` attribute, else its change's, else UNASSIGNED_TEAM.
  private async recordModelCall(set: ForensicsWorkingSet, e: ProjectedEntry, change: ChangeRecord | undefined): Promise<void> {
    const provider = str(e.data, 'provider');
    const model = str(e.data, 'model');
    const modelVersion = str(e.data, 'modelVersion');
    if (!provider || !model || !modelVersion) return;
    const team = e.team ?? change?.doc.state.team ?? UNASSIGNED_TEAM;
    const tokensIn = count(num(e.data, 'tokensIn'));
    const tokensOut = count(num(e.data, 'tokensOut'));
    const micros = costMicros(num(e.data, 'costUsd'));

    const modelKey = canonicalJson([provider, model, modelVersion, team]);
    const known = await set.model(modelKey);
    const usage: ModelUsageDoc = known?.doc ?? {
      provider,
      model,
      modelVersion,
      team,
      calls: 0,
      tokensIn: 0,
      tokensOut: 0,
      costMicros: 0,
      firstSeen: e.recordedAt,
      firstSequence: e.sequence,
      lastSeen: e.recordedAt,
      lastSequence: e.sequence,
      firstTime: e.time,
      lastTime: e.time,
      changes: [],
    };
    usage.calls += 1;
    usage.tokensIn += tokensIn;
    usage.tokensOut += tokensOut;
    usage.costMicros += micros;
    usage.lastSeen = e.recordedAt;
    usage.lastSequence = e.sequence;
    usage.lastTime = e.time;
    const changeId = change?.doc.state.changeId;
    if (changeId && usage.changes.length < MAX_CHANGES_PER_MODEL && !usage.changes.includes(changeId)) usage.changes.push(changeId);
    set.putModel(modelKey, known?.ord ?? e.sequence, usage);

    const month = e.recordedAt.slice(0, 7);
    const spendKey = canonicalJson([team, month]);
    const spent = await set.spendRow(spendKey);
    const spend: SpendDoc = spent?.doc ?? {
      team,
      month,
      calls: 0,
      tokensIn: 0,
      tokensOut: 0,
      costMicros: 0,
      firstSequence: e.sequence,
      lastSequence: e.sequence,
    };
    spend.calls += 1;
    spend.tokensIn += tokensIn;
    spend.tokensOut += tokensOut;
    spend.costMicros += micros;
    spend.lastSequence = e.sequence;
    set.putSpend(spendKey, spent?.ord ?? e.sequence, spend);
  }

  // A management response becomes the latest response of the exceptions it names; one that
  // names no exception (yet) is kept as unmatched, so nothing an admin recorded is lost.
  private async recordResponse(set: ForensicsWorkingSet, e: ProjectedEntry): Promise<void> {
    const response = responseOf(e);
    if (!response) return;
    const matched = await set.respond(exceptionKey(response.exception), response);
    const doc: ResponseDoc = { ...response, matched };
    set.insert(
      'responses',
      rowKey.numbered(e.sequence),
      e.sequence,
      {
        exception_event_id: response.exception.eventId,
        rule: response.exception.rule,
        matched: matched ? 1 : 0,
        status: response.status,
        recorded_at: e.recordedAt,
        occurred_at: occurredAtColumn(e),
      },
      doc,
    );
  }

  private recordBudgetAlert(set: ForensicsWorkingSet, e: ProjectedEntry): void {
    const team = str(e.data, 'team');
    const budget = str(e.data, 'budget');
    if (!team || !budget) return;
    const period = obj(e.data, 'period');
    const doc: BudgetAlertDoc = {
      sequence: e.sequence,
      eventId: e.id,
      team,
      budget,
      spendUsd: num(e.data, 'spendUsd'),
      thresholdUsd: num(e.data, 'thresholdUsd'),
      limitUsd: num(e.data, 'limitUsd'),
      period: { start: str(period, 'start'), end: str(period, 'end') },
      recordedAt: e.recordedAt,
      time: e.time,
    };
    set.insert(
      'budget_alerts',
      rowKey.numbered(e.sequence),
      e.sequence,
      { team, budget, recorded_at: e.recordedAt, occurred_at: occurredAtColumn(e) },
      doc,
    );
  }
}
