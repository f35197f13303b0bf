import { Link } from '../app/Link';
import { ForensicsTableSpec } from './ForensicsTable';

// The forensics tables the console shows as tables (docs/forensics.md has every field).

const change = (changeId: string) => (
  <Link key={changeId} to={{ page: 'change', changeId }}>
    {changeId}
  </Link>
);
const usd = (n: number) => `$${n.toFixed(4)}`;

interface ExceptionRow {
  readonly rule: string;
  readonly title: string;
  readonly reason: string;
  readonly changeId?: string;
  readonly repository?: string;
  readonly sequence: number;
  readonly time: string;
  readonly recordedAt: string;
}

export const EXCEPTIONS: ForensicsTableSpec<ExceptionRow> = {
  title: 'Control exceptions',
  path: '/v1/exceptions',
  rows: 'exceptions',
  filters: [
    { name: 'rule', label: 'Rule' },
    { name: 'repo', label: 'Repository' },
    { name: 'changeid', label: 'Change' },
    { name: 'from', label: 'From', type: 'date' },
    { name: 'to', label: 'To', type: 'date' },
  ],
  columns: [
    { header: 'Entry', cell: (x) => x.sequence },
    { header: 'Rule', cell: (x) => <code>{x.rule}</code> },
    {
      header: 'Exception',
      cell: (x) => (
        <>
          <strong>{x.title}</strong>
          <div>{x.reason}</div>
        </>
      ),
    },
    { header: 'Change', cell: (x) => (x.changeId ? change(x.changeId) : '—') },
    { header: 'Event time', cell: (x) => x.time },
    { header: 'Recorded', cell: (x) => x.recordedAt },
  ],
};

interface ModelRow {
  readonly provider: string;
  readonly model: string;
  readonly modelVersion?: string;
  readonly team?: string;
  readonly calls: number;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly costUsd: number;
  readonly firstTime: string;
  readonly lastTime: string;
  readonly changes: readonly string[];
}

export const INVENTORY: ForensicsTableSpec<ModelRow> = {
  title: 'AI inventory',
  path: '/v1/inventory/models',
  rows: 'models',
  filters: [
    { name: 'provider', label: 'Provider' },
    { name: 'team', label: 'Team' },
  ],
  columns: [
    { header: 'Model', cell: (m) => `${m.provider}/${m.model}${m.modelVersion ? ` ${m.modelVersion}` : ''}` },
    { header: 'Team', cell: (m) => m.team ?? '—' },
    { header: 'Calls', cell: (m) => m.calls },
    { header: 'Tokens in / out', cell: (m) => `${m.tokensIn} / ${m.tokensOut}` },
    { header: 'Cost', cell: (m) => usd(m.costUsd) },
    { header: 'First / last seen', cell: (m) => `${m.firstTime} – ${m.lastTime}` },
    { header: 'Changes', cell: (m) => <span className="links">{m.changes.map(change)}</span> },
  ],
};

interface ApprovalRow {
  readonly changeId: string;
  readonly approver: { readonly subject: string; readonly role?: string; readonly mfa?: boolean };
  readonly checkpoint: string;
  readonly decision: string;
  readonly independent: boolean;
  readonly sequence: number;
  readonly time: string;
}

export const APPROVALS: ForensicsTableSpec<ApprovalRow> = {
  title: 'Approvals',
  path: '/v1/approvals',
  rows: 'approvals',
  filters: [
    { name: 'changeid', label: 'Change' },
    { name: 'approver', label: 'Approver' },
    { name: 'checkpoint', label: 'Checkpoint' },
    { name: 'from', label: 'From', type: 'date' },
    { name: 'to', label: 'To', type: 'date' },
  ],
  columns: [
    { header: 'Entry', cell: (a) => a.sequence },
    { header: 'Change', cell: (a) => change(a.changeId) },
    {
      header: 'Approver',
      cell: (a) => `${a.approver.subject}${a.approver.role ? ` (${a.approver.role})` : ''}${a.approver.mfa ? ', MFA' : ''}`,
    },
    { header: 'Checkpoint', cell: (a) => a.checkpoint },
    { header: 'Decision', cell: (a) => a.decision },
    { header: 'Independent', cell: (a) => (a.independent ? 'yes' : <strong className="exceptions">no</strong>) },
    { header: 'Event time', cell: (a) => a.time },
  ],
};

interface SpendRow {
  readonly team: string;
  readonly month: string;
  readonly calls: number;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly costUsd: number;
}

export const SPEND: ForensicsTableSpec<SpendRow> = {
  title: 'Spend',
  path: '/v1/spend',
  rows: 'spend',
  filters: [{ name: 'team', label: 'Team' }],
  columns: [
    { header: 'Team', cell: (s) => s.team },
    { header: 'Month', cell: (s) => s.month },
    { header: 'Calls', cell: (s) => s.calls },
    { header: 'Tokens in / out', cell: (s) => `${s.tokensIn} / ${s.tokensOut}` },
    { header: 'Cost', cell: (s) => usd(s.costUsd) },
  ],
};
