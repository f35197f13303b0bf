import {
  canonicalJson,
  ChangeDoc,
  ChangeState,
  Counters,
  DEFAULT_SETTINGS,
  emptyChangeState,
  ExceptionDoc,
  ExceptionResponse,
  GovernanceSettings,
  ModelUsageDoc,
  settingsFromJson,
  SpendDoc,
  TaskGrant,
} from '@evidence-ledger/core';
import { ForensicsRow, RowUpsert } from '@evidence-ledger/store';
import { FORENSICS_TABLES, ForensicsTableName, rowKey } from './forensics-tables';
import { RowSource } from './projection';

/** A change being projected: its row's ord and its document. */
export interface ChangeRecord {
  readonly ord: number;
  readonly doc: ChangeDoc;
}

/** A task grant as the `state` table keeps it, with the change it was requested for. */
export interface StoredTask extends TaskGrant {
  readonly changeId?: string;
}

const parse = <T>(row: ForensicsRow): T => JSON.parse(row.doc) as T;

/**
 * The rows one batch reads and changes, loaded once and written once: the runner commits
 * `upserts()` with the new position. Rows that only ever grow by insertion (timeline,
 * exceptions, approvals, budget alerts) go straight to `inserted`.
 */
export class ForensicsWorkingSet {
  private readonly changes = new Map<string, ChangeRecord>();
  private readonly tasks = new Map<string, StoredTask | null>();
  private readonly models = new Map<string, { ord: number; doc: ModelUsageDoc } | null>();
  private readonly spend = new Map<string, { ord: number; doc: SpendDoc } | null>();
  private readonly exceptionsAt = new Map<string, number[] | null>();
  private readonly exceptions = new Map<number, { columns: ForensicsRow['columns']; doc: ExceptionDoc } | null>();
  private readonly dirty = {
    changes: new Set<string>(),
    tasks: new Set<string>(),
    models: new Set<string>(),
    spend: new Set<string>(),
    exceptionsAt: new Set<string>(),
    exceptions: new Set<number>(),
  };
  private readonly inserted: RowUpsert[] = [];
  counters: Counters = { changes: 0, exceptions: 0 };
  settings: GovernanceSettings = DEFAULT_SETTINGS;
  private settingsChanged = false;

  constructor(private readonly source: RowSource) {}

  // One read per table for what a batch names up front: its changes, tasks and bookkeeping.
  async preload(changeIds: readonly string[], taskIds: readonly string[]): Promise<void> {
    const state = await this.source.read('state', ['counters', 'settings', ...taskIds.map(rowKey.task)]);
    for (const row of state) {
      if (row.key === 'counters') this.counters = parse<Counters>(row);
      else if (row.key === 'settings') this.settings = settingsFromJson(parse(row));
      else this.tasks.set(row.key.slice('task:'.length), parse<StoredTask>(row));
    }
    for (const id of taskIds) if (!this.tasks.has(id)) this.tasks.set(id, null);
    for (const row of await this.source.read('changes', changeIds)) this.changes.set(row.key, { ord: row.ord, doc: parse<ChangeDoc>(row) });
  }

  /** The change's record, created (and numbered) on first sight. */
  change(changeId: string): ChangeRecord {
    let record = this.changes.get(changeId);
    if (!record) {
      record = { ord: ++this.counters.changes, doc: { state: emptyChangeState(changeId), exceptions: [] } };
      this.changes.set(changeId, record);
    }
    this.dirty.changes.add(changeId);
    return record;
  }

  updateSettings(settings: GovernanceSettings): void {
    this.settings = settings;
    this.settingsChanged = true;
  }

  task(taskId: string | undefined): StoredTask | undefined {
    return taskId === undefined ? undefined : (this.tasks.get(taskId) ?? undefined);
  }

  putTask(task: StoredTask): void {
    this.tasks.set(task.taskId, task);
    this.dirty.tasks.add(task.taskId);
  }

  async model(key: string): Promise<{ ord: number; doc: ModelUsageDoc } | undefined> {
    return this.lazy(this.models, 'models', key);
  }

  putModel(key: string, ord: number, doc: ModelUsageDoc): void {
    this.models.set(key, { ord, doc });
    this.dirty.models.add(key);
  }

  async spendRow(key: string): Promise<{ ord: number; doc: SpendDoc } | undefined> {
    return this.lazy(this.spend, 'spend', key);
  }

  putSpend(key: string, ord: number, doc: SpendDoc): void {
    this.spend.set(key, { ord, doc });
    this.dirty.spend.add(key);
  }

  /** Records a new exception, findable by the key of its entry and rule (`exceptionKey`). */
  async putException(key: string, columns: ForensicsRow['columns'], doc: ExceptionDoc): Promise<void> {
    this.exceptions.set(doc.number, { columns, doc });
    this.dirty.exceptions.add(doc.number);
    const numbers = [...((await this.exceptionNumbers(key)) ?? []), doc.number];
    this.exceptionsAt.set(key, numbers);
    this.dirty.exceptionsAt.add(key);
  }

  /**
   * Sets a response as the latest on every exception of `key` (responses are folded in
   * sequence order, so the last one set is the latest). Returns whether any exception matched.
   */
  async respond(key: string, response: ExceptionResponse): Promise<boolean> {
    const numbers = (await this.exceptionNumbers(key)) ?? [];
    for (const n of numbers) {
      if (!this.exceptions.has(n)) {
        const [row] = await this.source.read('exceptions', [rowKey.numbered(n)]);
        this.exceptions.set(n, row ? { columns: row.columns, doc: parse<ExceptionDoc>(row) } : null);
      }
      const known = this.exceptions.get(n);
      if (!known) continue;
      known.doc.response = response;
      this.dirty.exceptions.add(n);
    }
    return numbers.length > 0;
  }

  private async exceptionNumbers(key: string): Promise<number[] | undefined> {
    if (!this.exceptionsAt.has(key)) {
      const [row] = await this.source.read('state', [rowKey.exceptionsAt(key)]);
      this.exceptionsAt.set(key, row ? parse<number[]>(row) : null);
    }
    return this.exceptionsAt.get(key) ?? undefined;
  }

  insert(table: ForensicsTableName, key: string, ord: number, columns: ForensicsRow['columns'], doc: unknown): void {
    this.inserted.push({ table, row: { key, ord, columns, doc: canonicalJson(doc) } });
  }

  /** Every row the batch wrote, ready for the projection transaction. */
  upserts(): RowUpsert[] {
    const out = [...this.inserted];
    for (const id of this.dirty.changes) {
      const { ord, doc } = this.changes.get(id) as ChangeRecord;
      out.push({ table: FORENSICS_TABLES.changes.name, row: { key: id, ord, columns: changeColumns(doc), doc: canonicalJson(doc) } });
    }
    for (const id of this.dirty.tasks) {
      const task = this.tasks.get(id) as StoredTask;
      out.push({ table: 'state', row: { key: rowKey.task(id), ord: task.sequence, columns: {}, doc: canonicalJson(task) } });
    }
    for (const key of this.dirty.models) {
      const { ord, doc } = this.models.get(key) as { ord: number; doc: ModelUsageDoc };
      const columns = {
        provider: doc.provider,
        model: doc.model,
        model_version: doc.modelVersion,
        team: doc.team,
        last_recorded_at: doc.lastSeen,
      };
      out.push({ table: 'models', row: { key, ord, columns, doc: canonicalJson(doc) } });
    }
    for (const key of this.dirty.spend) {
      const { ord, doc } = this.spend.get(key) as { ord: number; doc: SpendDoc };
      out.push({ table: 'spend', row: { key, ord, columns: { team: doc.team, month: doc.month }, doc: canonicalJson(doc) } });
    }
    for (const n of this.dirty.exceptions) {
      const { columns, doc } = this.exceptions.get(n) as { columns: ForensicsRow['columns']; doc: ExceptionDoc };
      out.push({ table: 'exceptions', row: { key: rowKey.numbered(n), ord: n, columns, doc: canonicalJson(doc) } });
    }
    for (const key of this.dirty.exceptionsAt) {
      const numbers = this.exceptionsAt.get(key) as number[];
      out.push({ table: 'state', row: { key: rowKey.exceptionsAt(key), ord: 0, columns: {}, doc: canonicalJson(numbers) } });
    }
    out.push({ table: 'state', row: { key: 'counters', ord: 0, columns: {}, doc: canonicalJson(this.counters) } });
    if (this.settingsChanged)
      out.push({ table: 'state', row: { key: 'settings', ord: 0, columns: {}, doc: canonicalJson(this.settings) } });
    return out;
  }

  private async lazy<T>(cache: Map<string, { ord: number; doc: T } | null>, table: string, key: string) {
    if (!cache.has(key)) {
      const [row] = await this.source.read(table, [key]);
      cache.set(key, row ? { ord: row.ord, doc: parse<T>(row) } : null);
    }
    return cache.get(key) ?? undefined;
  }
}

function changeColumns(doc: ChangeDoc): ForensicsRow['columns'] {
  const s: ChangeState = doc.state;
  return {
    repository: s.repository ?? null,
    team: s.team ?? null,
    status: s.status ?? null,
    exceptions: doc.exceptions.length,
    first_recorded_at: s.firstRecordedAt ?? null,
    last_recorded_at: s.lastRecordedAt ?? null,
    last_sequence: s.lastSequence ?? null,
  };
}
