import { ControlsReport, ControlStatus } from '@evidence-ledger/core';
import { MUTED, ReportLayout, STATUS } from './report-layout';
import { day, retentionText } from './report-text';

// The sections a framework adds to the report, each present when its template carries the
// data: the Statement of Applicability (ISO/IEC 27001), the technical-documentation index
// (EU AI Act Annex IV) and the record-keeping facts (HIPAA §164.316(b)(2), AI Act Art. 12/19).

export interface FrameworkSection {
  readonly title: string;
  readonly write: (w: ReportLayout, report: ControlsReport) => void;
}

export function frameworkSections(report: ControlsReport): FrameworkSection[] {
  const t = report.template;
  return [
    ...(t.statementOfApplicability ? [{ title: 'Statement of Applicability', write: writeApplicability }] : []),
    ...(t.documentationIndex ? [{ title: 'Technical documentation index', write: writeDocumentationIndex }] : []),
    ...(report.recordKeeping ? [{ title: report.recordKeeping.title, write: writeRecordKeeping }] : []),
  ];
}

function writeApplicability(w: ReportLayout, report: ControlsReport): void {
  const soa = report.template.statementOfApplicability ?? [];
  const applicable = soa.filter((s) => s.applicable).length;
  w.para(
    `Every control of ${report.template.version} Annex A (${soa.length} controls; ${applicable} applicable, ${soa.length - applicable} not applicable), whether it applies and why, and the controls of this pack that evidence it. A control evidenced outside the ledger is applicable all the same; this pack does not test it.`,
  );
  const status = new Map(report.controls.map((c) => [c.id, c.status]));
  w.table(
    ['Control', 'Title', 'Applies', 'Justification', 'Evidenced by'],
    [42, 120, 40, 190, 95],
    soa.map((s) => [
      s.id,
      s.title,
      s.applicable ? 'yes' : 'no',
      s.justification,
      s.controls?.length ? s.controls.map((id) => `${id}: ${label(status.get(id))}`).join('\n') : '-',
    ]),
  );
}

function writeDocumentationIndex(w: ReportLayout, report: ControlsReport): void {
  const index = report.template.documentationIndex ?? [];
  w.para(
    'The points of the technical documentation (Annex IV) and where this pack or the ledger evidences each. A point the ledger does not evidence says so: the provider documents it elsewhere.',
  );
  w.table(
    ['Point', 'Technical documentation', 'Where it is evidenced', 'Controls'],
    [36, 150, 220, 80],
    index.map((p) => [p.point, p.title, p.evidencedBy ?? 'not evidenced by the ledger', p.controls?.join('\n') ?? '-']),
    undefined,
    [0],
  );
}

function writeRecordKeeping(w: ReportLayout, report: ControlsReport): void {
  const r = report.recordKeeping;
  if (!r) return;
  w.subheading('The requirement');
  w.para(r.requirement);
  w.subheading('The facts for this pack');
  w.keyValues([
    [
      'Logged automatically',
      `${r.logged.entries} entries recorded by the ledger in the period, each as it was posted, stamped with the ledger's own commit time (${r.logged.clock}) and chained into the signed Merkle tree`,
    ],
    ['Period covered', `${r.logged.from} to ${r.logged.to} (${day(r.logged.from)} to ${day(r.logged.to)}, exclusive)`],
    ['Required retention', `${r.minimumDays} days`],
    ['This pack', retentionText(r.retention)],
    ['Enforced', r.enforced ? 'yes' : 'no'],
  ]);
  w.callout(r.statement);
  w.para(
    "Retention is the archive's statement, which the verifier cannot check from the pack itself: check the lock on the archive (docs/archive.md).",
    9,
    MUTED,
  );
}

function label(status: ControlStatus | undefined): string {
  return status ? STATUS[status].label.toLowerCase() : 'not in this pack';
}
