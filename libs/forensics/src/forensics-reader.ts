import {
  ApprovalDoc,
  AsOf,
  BudgetAlertDoc,
  ChangeDoc,
  ChangeState,
  ChangeStatus,
  ExceptionDoc,
  InclusionProof,
  LedgerError,
  ModelUsageDoc,
  projectEntry,
  ProvenStep,
  ResponseDoc,
  replayChange,
  SpendDoc,
  StepEvidence,
  TimelineStep,
} from '@evidence-ledger/core';
import { LedgerStore, ForensicsStore, ForensicsRow, RowQuery, StoredCheckpoint, StoredEntry } from '@evidence-ledger/store';
import { inclusionProofs } from './entry-proofs';
import { FORENSICS_PROJECTION } from './forensics-projection';
import { FORENSICS_TABLES } from './forensics-tables';

/** The most steps a replay folds; a change with more is refused rather than read whole. */
export const MAX_REPLAY_STEPS = 10_000;

/** Every listing: a page and the cursor for the next one, and how far the forensics tables are. */
export interface Page<T> {
  readonly items: T[];
  readonly next?: number;
  /** Log entries the forensics tables reflect: every entry with a lower sequence. */
  readonly projectedThrough: number;
}

export interface ChangeFilter {
  readonly repository?: string;
  readonly status?: ChangeStatus;
  readonly team?: string;
  readonly hasException?: boolean;
  /** Changes active in [from, to): first event before `to`, last event at or after `from` (recordedAt, RFC 3339 UTC). */
  readonly from?: string;
  readonly to?: string;
  readonly after?: number;
  readonly limit: number;
}

export interface ChangeSummary {
  /** The cursor of this change in listings (its number, in order of first appearance). */
  readonly number: number;
  readonly changeId: string;
  readonly repository?: string;
  readonly team?: string;
  readonly status?: ChangeStatus;
  readonly author?: { readonly kind: string; readonly id: string };
  readonly aiGenerated?: boolean;
  readonly agents: readonly string[];
  readonly events: number;
  readonly exceptions: number;
  readonly exceptionRules: readonly string[];
  readonly firstSequence?: number;
  readonly lastSequence?: number;
  /** `recordedAt` (the ledger's clock, proven by the log) of the first and last entry and of the merge. */
  readonly firstRecordedAt?: string;
  readonly lastRecordedAt?: string;
  readonly mergedAt?: string;
  /** `time` (occurred, producer's clock) of the same entries, when their producers sent one. */
  readonly firstTime?: string;
  readonly lastTime?: string;
  readonly mergedTime?: string;
  readonly deployedTo: readonly string[];
}

export interface TimelineView {
  readonly changeId: string;
  readonly state: ChangeState;
  readonly exceptions: ExceptionDoc[];
  readonly steps: ProvenStep[];
  /** The signed checkpoint (C2SP note) every proof leads to, when proofs were asked for. */
  readonly checkpoint?: string;
  readonly next?: number;
  readonly projectedThrough: number;
}

export interface ReplayView extends TimelineView {
  /** The point replayed to; absent for a replay to the end of what is projected. */
  readonly asOf?: AsOf;
}

export type ModelUsageView = Omit<ModelUsageDoc, 'costMicros'> & { readonly costUsd: number };
export type SpendView = Omit<SpendDoc, 'costMicros'> & { readonly costUsd: number };

const usd = (micros: number) => micros / 1e6;
const doc = <T>(row: ForensicsRow): T => JSON.parse(row.doc) as T;

/**
 * The forensic queries (the API's /v1/changes, /exceptions, /inventory, /approvals, /spend),
 * framework-free: each reads the forensics tables (one indexed read per page) and, where proofs
 * are asked for, the entries' bytes and the nodes of their proofs (one read each).
 */
export class ForensicsReader {
  constructor(
    private readonly log: LedgerStore,
    private readonly tables: ForensicsStore,
  ) {}

  async projectedThrough(tenant: string): Promise<number> {
    return (await this.tables.positions(tenant))[FORENSICS_PROJECTION] ?? 0;
  }

  async listChanges(tenant: string, f: ChangeFilter): Promise<Page<ChangeSummary>> {
    const equals: Record<string, string> = {};
    if (f.repository !== undefined) equals.repository = f.repository;
    if (f.status !== undefined) equals.status = f.status;
    if (f.team !== undefined) equals.team = f.team;
    const ranges: RowQuery['ranges'] = [
      ...(f.hasException === undefined ? [] : [{ column: 'exceptions', ...(f.hasException ? { from: 1 } : { to: 1 }) }]),
      ...(f.to === undefined ? [] : [{ column: 'first_recorded_at', to: f.to }]),
      ...(f.from === undefined ? [] : [{ column: 'last_recorded_at', from: f.from }]),
    ];
    return this.page(tenant, FORENSICS_TABLES.changes.name, { equals, ranges, after: f.after, limit: f.limit }, (row) => {
      const { state, exceptions } = doc<ChangeDoc>(row);
      return summarize(row.ord, state, exceptions);
    });
  }

  async timeline(tenant: string, changeId: string, options: { after?: number; limit: number; proofs: boolean }): Promise<TimelineView> {
    const [projectedThrough, change] = await Promise.all([this.projectedThrough(tenant), this.change(tenant, changeId)]);
    const page = await this.tables.select(tenant, FORENSICS_TABLES.timeline.name, {
      equals: { change_id: changeId },
      after: options.after,
      limit: options.limit,
    });
    const steps = page.rows.map((r) => doc<TimelineStep>(r));
    const proven = options.proofs ? await this.prove(tenant, steps) : { steps };
    return {
      changeId,
      state: change.state,
      exceptions: await this.changeExceptions(tenant, changeId),
      ...proven,
      next: page.next,
      projectedThrough,
    };
  }

  // Replays a change to `asOf`: the change's entries are read back from the log and folded
  // by `replayChange`, which keeps exactly those at or before the point.
  async replay(tenant: string, changeId: string, asOf: AsOf | undefined, options: { proofs: boolean }): Promise<ReplayView> {
    const [projectedThrough] = await Promise.all([this.projectedThrough(tenant), this.change(tenant, changeId)]);
    const rows: ForensicsRow[] = [];
    for (let after: number | undefined; ;) {
      const page = await this.tables.select(tenant, FORENSICS_TABLES.timeline.name, {
        equals: { change_id: changeId },
        after,
        limit: 1000,
      });
      rows.push(...page.rows);
      if (rows.length > MAX_REPLAY_STEPS) {
        throw new LedgerError(
          'INVALID_QUERY',
          `change ${changeId} has more than ${MAX_REPLAY_STEPS} events; replay it with the CLI against the store`,
          {
            field: 'changeId',
          },
        );
      }
      if (page.next === undefined) break;
      after = page.next;
    }
    const stored = await this.entries(
      tenant,
      rows.map((r) => doc<TimelineStep>(r).eventId),
    );
    const entries = [...stored.values()].sort((a, b) => a.sequence - b.sequence).map((e) => projectEntry(e.sequence, e.canonical));
    const { state, steps } = replayChange(changeId, entries, asOf);
    const included = new Set(steps.map((s) => s.sequence));
    const exceptions = (await this.changeExceptions(tenant, changeId)).filter((x) => included.has(x.sequence));
    const proven = options.proofs ? await this.prove(tenant, steps, stored) : { steps };
    return { changeId, ...(asOf ? { asOf } : {}), state, exceptions, ...proven, projectedThrough };
  }

  async listExceptions(
    tenant: string,
    f: { rule?: string; changeId?: string; repository?: string; from?: string; to?: string; after?: number; limit: number },
  ): Promise<Page<ExceptionDoc>> {
    const equals: Record<string, string> = {};
    if (f.rule !== undefined) equals.rule = f.rule;
    if (f.changeId !== undefined) equals.change_id = f.changeId;
    if (f.repository !== undefined) equals.repository = f.repository;
    return this.page(tenant, FORENSICS_TABLES.exceptions.name, { equals, ranges: timeRange(f), after: f.after, limit: f.limit }, (r) =>
      doc(r),
    );
  }

  /**
   * Management responses in the order they were recorded; `matched: false` lists the ones
   * naming an exception that did not exist when they were recorded (kept, never dropped).
   */
  async listResponses(
    tenant: string,
    f: { matched?: boolean; eventId?: string; after?: number; limit: number },
  ): Promise<Page<ResponseDoc>> {
    const equals: Record<string, string | number> = {};
    if (f.matched !== undefined) equals.matched = f.matched ? 1 : 0;
    if (f.eventId !== undefined) equals.exception_event_id = f.eventId.toLowerCase();
    return this.page(tenant, FORENSICS_TABLES.responses.name, { equals, after: f.after, limit: f.limit }, (r) => doc(r));
  }

  async listModels(tenant: string, f: { provider?: string; team?: string; after?: number; limit: number }): Promise<Page<ModelUsageView>> {
    const equals: Record<string, string> = {};
    if (f.provider !== undefined) equals.provider = f.provider;
    if (f.team !== undefined) equals.team = f.team;
    return this.page(tenant, FORENSICS_TABLES.models.name, { equals, after: f.after, limit: f.limit }, (r) => {
      const { costMicros, ...rest } = doc<ModelUsageDoc>(r);
      return { ...rest, costUsd: usd(costMicros) };
    });
  }

  async listApprovals(
    tenant: string,
    f: { changeId?: string; approver?: string; checkpoint?: string; from?: string; to?: string; after?: number; limit: number },
  ): Promise<Page<ApprovalDoc>> {
    const equals: Record<string, string> = {};
    if (f.changeId !== undefined) equals.change_id = f.changeId;
    if (f.approver !== undefined) equals.approver = f.approver;
    if (f.checkpoint !== undefined) equals.checkpoint = f.checkpoint;
    return this.page(tenant, FORENSICS_TABLES.approvals.name, { equals, ranges: timeRange(f), after: f.after, limit: f.limit }, (r) =>
      doc(r),
    );
  }

  async listSpend(tenant: string, f: { team?: string; after?: number; limit: number }): Promise<Page<SpendView>> {
    return this.page(
      tenant,
      FORENSICS_TABLES.spend.name,
      { equals: f.team === undefined ? {} : { team: f.team }, after: f.after, limit: f.limit },
      (r) => {
        const { costMicros, ...rest } = doc<SpendDoc>(r);
        return { ...rest, costUsd: usd(costMicros) };
      },
    );
  }

  async listBudgetAlerts(tenant: string, f: { team?: string; after?: number; limit: number }): Promise<Page<BudgetAlertDoc>> {
    const equals: Record<string, string> = f.team === undefined ? {} : { team: f.team };
    return this.page(tenant, FORENSICS_TABLES.budget_alerts.name, { equals, after: f.after, limit: f.limit }, (r) => doc(r));
  }

  private async change(tenant: string, changeId: string): Promise<ChangeDoc> {
    const [row] = await this.tables.readRows(tenant, FORENSICS_TABLES.changes.name, [changeId]);
    if (!row) throw new LedgerError('NOT_FOUND', `no change ${JSON.stringify(changeId)} in this tenant's forensics tables`);
    return doc<ChangeDoc>(row);
  }

  private async changeExceptions(tenant: string, changeId: string): Promise<ExceptionDoc[]> {
    const page = await this.tables.select(tenant, FORENSICS_TABLES.exceptions.name, { equals: { change_id: changeId }, limit: 1000 });
    return page.rows.map((r) => doc<ExceptionDoc>(r));
  }

  private async page<T>(tenant: string, table: string, query: RowQuery, view: (row: ForensicsRow) => T): Promise<Page<T>> {
    const [projectedThrough, page] = await Promise.all([this.projectedThrough(tenant), this.tables.select(tenant, table, query)]);
    return { items: page.rows.map(view), next: page.next, projectedThrough };
  }

  private async entries(tenant: string, ids: readonly string[]): Promise<Map<string, StoredEntry>> {
    const found = new Map<string, StoredEntry>();
    for (let i = 0; i < ids.length; i += 1000) {
      for (const e of await this.log.findByIds(tenant, ids.slice(i, i + 1000))) found.set(e.id, e);
    }
    for (const id of ids) {
      if (!found.has(id.toLowerCase()) && !found.has(id))
        throw new LedgerError('STORE_CORRUPT', `entry ${id} of the change's timeline is missing from the log`, { id });
    }
    return found;
  }

  // Each step with its entry's bytes and a proof to the latest checkpoint, which covers every
  // projected entry (checkpoints are committed with their entries).
  private async prove(
    tenant: string,
    steps: TimelineStep[],
    known?: Map<string, StoredEntry>,
  ): Promise<{ steps: ProvenStep[]; checkpoint?: string }> {
    // An empty answer still names the signed checkpoint it was given as of.
    if (steps.length === 0) return { steps: [], checkpoint: (await this.checkpoint(tenant)).note };
    const [checkpoint, stored] = await Promise.all([
      this.checkpoint(tenant),
      known ??
        this.entries(
          tenant,
          steps.map((s) => s.eventId),
        ),
    ]);
    const bySequence = new Map([...stored.values()].map((e) => [e.sequence, e]));
    const proofs = await inclusionProofs(
      this.log,
      tenant,
      steps.map((s) => s.sequence),
      checkpoint.treeSize,
    );
    return {
      checkpoint: checkpoint.note,
      steps: steps.map((s) => {
        const e = bySequence.get(s.sequence) as StoredEntry;
        return { ...s, evidence: evidence(e, proofs.get(s.sequence) as InclusionProof) };
      }),
    };
  }

  private async checkpoint(tenant: string): Promise<StoredCheckpoint> {
    const latest = await this.log.latestCheckpoint(tenant);
    if (!latest) throw new LedgerError('NOT_FOUND', `tenant ${tenant} has no checkpoint yet`);
    return latest;
  }
}

function evidence(e: StoredEntry, proof: InclusionProof): StepEvidence {
  return {
    canonical: e.canonical.toString('base64'),
    leafHash: e.leafHash.toString('base64'),
    proof: { leafIndex: proof.leafIndex, treeSize: proof.treeSize, hashes: proof.hashes.map((h) => Buffer.from(h).toString('base64')) },
  };
}

function timeRange(f: { from?: string; to?: string }): RowQuery['ranges'] {
  return f.from === undefined && f.to === undefined ? [] : [{ column: 'recorded_at', from: f.from, to: f.to }];
}

export function summarize(number: number, s: ChangeState, exceptions: ChangeDoc['exceptions']): ChangeSummary {
  const deployedTo = new Map<string, string>();
  for (const d of s.deployments) if (d.environment) deployedTo.set(d.environment, d.outcome);
  return {
    number,
    changeId: s.changeId,
    repository: s.repository,
    team: s.team,
    status: s.status,
    author: s.author,
    aiGenerated: s.aiGenerated,
    agents: s.agents,
    events: s.events,
    exceptions: exceptions.length,
    exceptionRules: [...new Set(exceptions.map((x) => x.rule))],
    firstSequence: s.firstSequence,
    lastSequence: s.lastSequence,
    firstRecordedAt: s.firstRecordedAt,
    lastRecordedAt: s.lastRecordedAt,
    mergedAt: s.merged?.recordedAt,
    firstTime: s.firstTime,
    lastTime: s.lastTime,
    mergedTime: s.merged?.time,
    deployedTo: [...deployedTo].filter(([, outcome]) => outcome === 'deployed').map(([env]) => env),
  };
}
