import { ForensicsTable } from '@evidence-ledger/store';

const text = (name: string) => ({ name, type: 'text' as const });
const integer = (name: string) => ({ name, type: 'integer' as const });

/**
 * The forensics tables (docs/forensics.md, "Forensics tables"). Every row's `doc` is the
 * canonical JSON of what the API shows; the columns are only what listings filter on. A row
 * of one entry keeps both its clocks: `recorded_at` (`recordedAt`, the ledger's) and
 * `occurred_at` (`time`, the producer's; null when it sent none). Changing a table here
 * changes the schema fingerprint, so stored forensics tables are rebuilt from the log.
 */
export const FORENSICS_TABLES = {
  /** One row per change: its folded ChangeState and exceptions; ord = change number in order of first appearance. */
  changes: {
    name: 'changes',
    columns: [
      text('repository'),
      text('team'),
      text('status'),
      integer('exceptions'),
      text('first_recorded_at'),
      text('last_recorded_at'),
      integer('last_sequence'),
    ],
    indexes: [['repository'], ['status'], ['team']],
  },
  /** One row per (change, entry): the timeline step; ord = sequence. */
  timeline: {
    name: 'timeline',
    columns: [text('change_id'), text('recorded_at'), text('occurred_at')],
    indexes: [['change_id']],
    listed: false,
  },
  /** One row per exception found; ord = exception number, in the order they happened. */
  exceptions: {
    name: 'exceptions',
    columns: [text('rule'), text('change_id'), text('repository'), integer('sequence'), text('recorded_at'), text('occurred_at')],
    indexes: [['rule'], ['change_id'], ['repository']],
  },
  /** One row per (provider, model, version, team); ord = sequence of its first call. */
  models: {
    name: 'models',
    columns: [text('provider'), text('model'), text('model_version'), text('team'), text('last_recorded_at')],
    indexes: [['provider'], ['team']],
  },
  /** One row per review decision; ord = sequence. */
  approvals: {
    name: 'approvals',
    columns: [
      text('change_id'),
      text('repository'),
      text('checkpoint'),
      text('decision'),
      text('approver'),
      text('recorded_at'),
      text('occurred_at'),
    ],
    indexes: [['change_id'], ['approver'], ['checkpoint']],
  },
  /** One row per (team, month of recordedAt); ord = sequence of its first call. */
  spend: { name: 'spend', columns: [text('team'), text('month')], indexes: [['team']] },
  /** One row per budget.threshold.crossed; ord = sequence. */
  budget_alerts: {
    name: 'budget_alerts',
    columns: [text('team'), text('budget'), text('recorded_at'), text('occurred_at')],
    indexes: [['team']],
  },
  /** One row per management response (`exception.response.recorded`); ord = sequence. */
  responses: {
    name: 'responses',
    columns: [text('exception_event_id'), text('rule'), integer('matched'), text('status'), text('recorded_at'), text('occurred_at')],
    indexes: [['matched'], ['exception_event_id']],
  },
  /** The fold's own bookkeeping: counters, governance settings, agent task grants, exceptions by entry and rule. */
  state: { name: 'state', columns: [], indexes: [] },
} satisfies Record<string, ForensicsTable>;

export type ForensicsTableName = keyof typeof FORENSICS_TABLES;

/** Row keys of each table (unique per tenant). */
export const rowKey = {
  timeline: (changeId: string, sequence: number) => `${changeId}@${String(sequence).padStart(16, '0')}`,
  numbered: (n: number) => String(n).padStart(16, '0'),
  task: (taskId: string) => `task:${taskId}`,
  /** The numbers of the exceptions one rule raised at one entry (`exceptionKey`), so a response finds them. */
  exceptionsAt: (key: string) => `exception:${key}`,
};
