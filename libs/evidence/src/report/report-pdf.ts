import { ControlsReport, SAMPLE_SIZE_BY_FREQUENCY } from '@evidence-ledger/core';
import { TimelineLine } from '@evidence-ledger/verify';
import { exceptionTable, writeControl } from './report-control';
import { frameworkSections } from './report-framework-sections';
import { writeAssertion, writeSystemDescription } from './report-front-matter';
import { MUTED, renderDocument, ReportLayout } from './report-layout';
import { carriedText, day, delay, entryCell, lateText, populationText, retentionText, utc, words } from './report-text';
import { writeHowToVerify } from './report-verify-page';
import { managementResponseText } from './management-response-text';

/** Who prepares every report: the service, on the tenant's behalf. */
export const REPORT_PREPARER = 'Evidence Ledger service';

export interface ReportInput {
  readonly report: ControlsReport;
  /** Hex SHA-256 of the signing key's SPKI DER. */
  readonly keyId: string;
  /** The ledger time the report is dated by: when the checkpoint's last entry was recorded (never the wall clock). */
  readonly asOf: string;
  readonly timelines: readonly { readonly changeId: string; readonly steps: readonly TimelineLine[] }[];
  readonly previous: { readonly treeSize: number; readonly rootHash: string } | null;
}

const MAX_EXCEPTION_ROWS = 40;
const MAX_TIMELINE_STEPS = 40;

// Renders report.pdf with pdfkit's built-in Helvetica. Deterministic: the document dates and
// the file ID derive from `asOf`, and nothing reads the clock, so the same pack gives the
// same bytes.
export function renderReport(input: ReportInput): Promise<Buffer> {
  const { report } = input;
  const info = {
    title: `${report.template.title} evidence pack: ${report.subject.tenant}`,
    subject: `${report.subject.period.from} to ${report.subject.period.to}`,
    date: new Date(input.asOf),
  };
  return renderDocument(info, (doc) => new ReportWriter(doc, input).write());
}

// What the report says, section by section; how it looks is ReportLayout's (report-layout.ts).
class ReportWriter extends ReportLayout {
  constructor(
    doc: PDFKit.PDFDocument,
    private readonly input: ReportInput,
  ) {
    super(doc);
  }

  write(): void {
    this.cover();
    this.doc.addPage();
    const contentsPage = this.pageIndex();
    this.section("Management's assertion");
    writeAssertion(this, this.report);
    this.section('System description and boundaries');
    writeSystemDescription(this, this.report);
    this.section('Scope and method');
    this.scope();
    this.section('Summary of results');
    this.summary();
    this.section('Control-by-control results');
    for (const c of this.input.report.controls) writeControl(this, this.report, c);
    for (const f of frameworkSections(this.report)) {
      this.section(f.title);
      f.write(this, this.report);
    }
    this.section('Exceptions');
    this.exceptions();
    this.section('Late evidence');
    this.lateEvidence();
    this.section('Sampled change timelines');
    this.timelines();
    this.section('How to verify this pack');
    writeHowToVerify(this, this.report, this.input.keyId);
    this.contents(contentsPage);
    const s = this.report.subject;
    this.footers(`${this.report.template.title}  |  ${s.tenant}  |  checkpoint #${s.checkpoint.treeSize}`);
  }

  private get report(): ControlsReport {
    return this.input.report;
  }

  private cover(): void {
    const { doc, report } = this;
    const s = report.subject;
    doc.addPage();
    this.coverBand('EVIDENCE LEDGER  |  AUDIT EVIDENCE PACK', report.template.title, report.template.version);
    doc
      .moveDown(0.5)
      .fontSize(12)
      .text(`Tenant ${s.tenant}  |  ${day(s.period.from)} to ${day(s.period.to)} (exclusive)`);
    doc.y = 270;
    this.keyValues([
      ['Framework', `${report.template.framework}: ${report.template.version} (${report.template.controls.length} controls)`],
      ['Tenant', s.tenant],
      ['Period', `${s.period.from}  to  ${s.period.to}`],
      ['Issue date', `${this.input.asOf} (the ledger time the pack was built as of: its checkpoint's last entry)`],
      ['Prepared by', `${REPORT_PREPARER}, for tenant ${s.tenant}`],
      ['Scope', s.scope.repositories.length === 0 ? 'every repository of the tenant' : s.scope.repositories.join(', ')],
      ['Population', `${populationText(report)}; ${carriedText(s.entries)}`],
      ['Late evidence', lateText(report)],
      [
        'Checkpoint',
        `${s.checkpoint.origin}  #${s.checkpoint.treeSize} (its last entry recorded ${this.input.asOf}${
          s.checkpoint.treeSize > s.entries.end ? `; ${s.checkpoint.treeSize - s.entries.end} later entries are not in the pack` : ''
        })`,
      ],
      ['Root hash', s.checkpoint.rootHash],
      ['Signing key', `SHA-256 ${this.input.keyId}`],
      ['Retention', retentionText(report.inputs.retention)],
    ]);
    doc.moveDown(1.2);
    const sum = report.summary;
    this.statusTiles([
      ['satisfied', sum.satisfied],
      ['not-satisfied', sum.notSatisfied],
      ['not-tested', sum.notTested],
      ['not-applicable', sum.notApplicable],
    ]);
    if (report.template.note) this.callout(report.template.note);
    this.fineprint(
      'Generated from the ledger state at the checkpoint above. Every verdict in this report is recomputed from the events in this pack by `evidence-ledger verify`; the auditor need not trust it.',
      760,
    );
  }

  private scope(): void {
    const s = this.report.subject;
    const t = this.report.template;
    this.subheading('What this pack covers');
    this.para(
      `This pack assesses the ${t.controls.length} controls of the "${t.title}" evidence template (${t.version}) for tenant ${s.tenant}, over the entries the ledger recorded from ${s.period.from} (inclusive) to ${s.period.to} (exclusive)${s.scope.repositories.length ? `, limited to the repositories ${s.scope.repositories.join(', ')}` : ''}. The population is every such entry: ${populationText(this.report)}. ${
        s.entries.end > 0
          ? `The pack carries entries ${s.entries.start} to ${s.entries.end - 1}: the period's and every earlier entry of the tenant's log, because the control tests need the governance settings in force and the history of each change; nothing is counted at the earlier entries.`
          : 'The tenant recorded nothing before the end of the period, so the pack carries no entries.'
      }`,
    );
    this.subheading('Which clock selects the population');
    this.para(
      `Every entry has two times: the producer's "time" (when it says the event happened, a claim) and the ledger's "recordedAt" (when the entry was committed, the only time the signed log proves). The period selects entries by recordedAt. Wherever this report shows an entry it shows both. An entry recorded more than ${this.report.lateEvidence.thresholdHours} hours after it happened is late evidence (backfilled): it is flagged, never presented as evidence recorded at the time.`,
    );
    if (t.note) this.callout(t.note);
    this.subheading('How the controls were tested');
    this.para(
      'Each control maps to automated tests chosen from a fixed set of test kinds. The tests fold the events in sequence order with the same reducers and control-exception rules the ledger uses for its forensics tables (change state machine, governance settings, task grants), and count an exception at the entry where a control was breached. A control is Satisfied only when every one of its tests examined at least one item and found no exception; Not satisfied when any test found an exception; Not tested when a test had nothing to examine (no item in the period and scope, no entry to verify, a pack the archive does not lock), with what was missing; and Not applicable when it has no automated test (the template states why). Nothing is satisfied by default.',
    );
    this.subheading('Integrity of the evidence');
    this.para(
      `Every entry of the pack is proven to belong to the tenant's append-only Merkle tree (RFC 6962/9162), whose root is signed in the C2SP checkpoint ${s.checkpoint.origin} #${s.checkpoint.treeSize}. ${this.input.previous ? `The pack also proves that this tree extends the one of the previous ${t.framework} pack (tree size ${this.input.previous.treeSize}), so no history was rewritten between packs.` : 'This is the first pack of this framework for the tenant.'} The manifest lists the SHA-256 of every file and is signed in a Sigstore bundle (DSSE, in-toto statement) with the same key as the checkpoint.`,
    );
    this.subheading('Type II sampling');
    this.para(
      "For each control a sample of its population is drawn for the auditor's own inspection. The sample is deterministic: items are ordered by SHA-256(checkpoint root, control id, sequence) and the first n are taken, so nobody could choose it and anyone can redraw it from the pack. n is the template's sample size for the control when it sets one; otherwise it follows how often the control operates, by the widely used AICPA-style table below (all items when the population is smaller).",
    );
    this.table(
      ['Control frequency', 'Sample size'],
      [200, 100],
      Object.entries(SAMPLE_SIZE_BY_FREQUENCY).map(([f, n]) => [words(f), String(n)]),
      undefined,
      [1],
    );
  }

  private summary(): void {
    const rows = this.report.controls.map((c) => [
      c.id,
      c.title,
      c.status,
      c.tests.length === 0 ? '-' : String(c.populationSize),
      String(c.exceptions.length),
    ]);
    this.table(['Control', 'Title', 'Result', 'Population', 'Exceptions'], [70, 230, 85, 65, 65], rows, 2, [3, 4]);
    const s = this.report.summary;
    this.para(
      `${s.controls} controls: ${s.satisfied} satisfied, ${s.notSatisfied} not satisfied, ${s.notTested} not tested, ${s.notApplicable} not applicable; ${s.exceptions} exceptions in total; ${s.lateEntries} late entries. Population: the items a control's tests examined (merges, deployments, agent actions, model calls, log entries verified, the pack's archive lock).`,
      10,
      MUTED,
    );
  }

  private exceptions(): void {
    const failing = this.report.controls.filter((c) => c.exceptions.length > 0);
    if (failing.length === 0) {
      this.para('No control test found an exception in the period.');
      return;
    }
    this.para(
      'Every exception a control test found, by control. "Entry" is the ledger entry that proves it: its sequence (its line of events.jsonl), its event id and the first 12 hex digits of its leaf hash; "Happened / recorded" are its two clocks in UTC: the producer\'s time, then the ledger\'s commit time. Under the table, management\'s latest response to an exception recorded up to the checkpoint (exception.response.recorded): status, owner, due date, root cause and remediation, and whether it was recorded before or after the period ended.',
    );
    for (const c of failing) {
      this.subheading(`${c.id}  ${c.title}`);
      exceptionTable(this, c);
      for (const x of c.exceptions.slice(0, MAX_EXCEPTION_ROWS)) if (x.managementResponse) this.para(managementResponseText(x), 8.5);
    }
  }

  private lateEvidence(): void {
    const late = this.report.lateEvidence;
    this.para(
      `Entries of the population recorded more than ${late.thresholdHours} hours after the time their producer gives (the template's threshold). The log proves only when an entry was recorded; a late entry's "happened" time is the producer's claim, made after the fact. Late entries still count in the population; exceptions at them are marked late.`,
    );
    if (late.entries.length === 0) {
      this.para('No entry of the population is late.', 10, MUTED);
      return;
    }
    const rows = late.entries
      .slice(0, MAX_EXCEPTION_ROWS)
      .map((e) => [entryCell(e), utc(e.time), utc(e.recordedAt), delay(e.time, e.recordedAt), e.type, e.changeId ?? '-']);
    this.table(['Entry', 'Happened (UTC)', 'Recorded (UTC)', 'Delay', 'Event', 'Change'], [86, 93, 93, 40, 111, 60], rows);
    if (late.entries.length > MAX_EXCEPTION_ROWS)
      this.para(`${late.entries.length - MAX_EXCEPTION_ROWS} more in controls.json (lateEvidence).`, 8.5, MUTED);
  }

  private timelines(): void {
    if (this.input.timelines.length === 0) {
      this.para('No change was sampled in the period.');
      return;
    }
    this.para(
      'A few changes from the Type II samples, with every step the ledger recorded for them, as the verifier replays them. Each step shows both clocks in UTC: when the producer says it happened, then when the ledger recorded it.',
    );
    for (const t of this.input.timelines) {
      this.subheading(t.changeId);
      const rows = t.steps
        .slice(0, MAX_TIMELINE_STEPS)
        .map((s) => [
          entryCell(s),
          `${s.time ? utc(s.time) : '-'}\n${utc(s.recordedAt)}${s.late ? '\nLATE EVIDENCE' : ''}`,
          s.type,
          s.actor ?? '-',
          s.note ?? '',
        ]);
      this.table(['Entry', 'Happened / recorded', 'Event', 'Actor', 'Detail'], [86, 95, 115, 85, 102], rows);
    }
  }
}
