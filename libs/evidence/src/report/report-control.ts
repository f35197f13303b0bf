import { ControlResult, ControlsReport, examinesItems } from '@evidence-ledger/core';
import { populationFileNames } from '@evidence-ledger/verify';
import { MUTED, ReportLayout, STATUS } from './report-layout';
import { clockCell, entryCell, LEAF_PREFIX, rateText, sampleText, words } from './report-text';
import { controlResponseSummary } from './management-response-text';

const MAX_EXCEPTION_ROWS = 40;

// One control as an auditor's workpaper reads it: who owns it, how often and how it operates,
// the test performed, the population and the sample, the exceptions, the management response
// and the conclusion with its reason.
export function writeControl(w: ReportLayout, report: ControlsReport, c: ControlResult): void {
  const { doc } = w;
  w.ensure(170);
  w.statusBand(`${c.id}  ${c.title}`, c.status);
  w.para(`Objective: ${c.objective}`, 9.5);
  w.keyValues([
    ['Owner', c.owner ?? 'not stated in the template'],
    ['Frequency', c.frequency ? words(c.frequency) : 'not stated in the template'],
    ['Operation', c.automation ?? 'not stated in the template'],
    ['Test performed', c.testPerformed ?? 'not stated in the template'],
    ['Population', populationText(report, c)],
    ['Selection', c.selection],
    // A control without tests has no population whose completeness could matter.
    ...(c.tests.length > 0 ? ([['Completeness', c.completeness]] as const) : []),
    ['Sample', sampleText(c)],
  ]);
  if (c.tests.length > 0)
    w.table(
      ['Test', 'Parameters', 'Result', 'Population', 'Of', 'Exceptions'],
      [130, 110, 78, 62, 95, 62],
      c.tests.map((t) => {
        const { kind, ...params } = t.spec;
        const p = Object.entries(params)
          .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
          .join('; ');
        return [kind, p || '-', t.status, String(t.populationSize), t.populationOf, String(t.exceptions.length)];
      }),
      2,
      [3, 5],
    );
  if (c.sample.items.length > 0) sampleTable(w, c);
  w.subheading(`Exceptions (${c.exceptions.length})`);
  if (c.exceptions.length === 0) w.para(c.tests.length === 0 ? 'None: the control was not tested.' : 'None found.', 9.5, MUTED);
  else exceptionTable(w, c);
  if (c.tests.length > 0)
    w.para(
      `Deviation rate: ${rateText(c.deviationRate.sample)} in the sample, ${rateText(c.deviationRate.population)} in the population.`,
      9.5,
    );
  w.keyValues([
    ['Management response', controlResponseSummary(c.exceptions)],
    [
      'Conclusion',
      `${STATUS[c.status].label}${c.reason ? `: ${c.reason}` : c.status === 'satisfied' ? ': every test examined its population and found no exception' : ''}`,
    ],
  ]);
  doc.y += 8;
}

// The Type II sample, one line per item: the entry cited by sequence, event id and leaf-hash
// prefix, and its result (both clocks and every attribute are in controls.json and the CSV).
function sampleTable(w: ReportLayout, c: ControlResult): void {
  const d = c.deviationRate;
  w.ensure(90);
  w.para(
    `Type II sample: ${c.sample.size} of ${d.population.size}, drawn from the checkpoint root. Deviation rate: ${rateText(d.sample)} in the sample, ${rateText(d.population)} in the population.`,
    9.5,
  );
  w.table(
    ['Entry', 'Event id', 'Leaf hash', 'Result'],
    [35, 185, 80, 195],
    c.sample.items.map((i) => [
      String(i.sequence),
      i.eventId,
      i.leafHash.slice(0, LEAF_PREFIX),
      i.result === 'exception' ? `exception: ${(i.rules ?? []).join(', ')}` : 'pass',
    ]),
    undefined,
    [0],
  );
}

export function exceptionTable(w: ReportLayout, c: ControlResult): void {
  const rows = c.exceptions.slice(0, MAX_EXCEPTION_ROWS).map((x) => [entryCell(x), clockCell(x), x.changeId ?? '-', x.rule, x.reason]);
  w.table(['Entry', 'Happened / recorded', 'Change', 'Rule', 'Reason'], [86, 95, 90, 95, 117], rows);
  if (c.exceptions.length > MAX_EXCEPTION_ROWS) w.para(`${c.exceptions.length - MAX_EXCEPTION_ROWS} more in controls.json.`, 8.5, MUTED);
}

function populationText(report: ControlsReport, c: ControlResult): string {
  if (c.tests.length === 0) return 'none: the control has no automated test';
  const of = [...new Set(c.tests.map((t) => t.populationOf))].join('; ');
  // Only controls whose tests examine items have a population CSV (not the log's own proofs, nor the archive lock).
  const csv = c.tests.some((t) => examinesItems(t.spec)) ? populationFileNames(report.controls.map((x) => x.id)).get(c.id) : undefined;
  return `${c.populationSize} (${of})${csv ? `; every item is listed in ${csv}` : ''}`;
}
