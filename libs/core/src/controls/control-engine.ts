import { examinesItems, indexFacts } from './item-attributes';
import { EntryClocks, LateEntryFact, PopulationFacts, ResponseFact } from './population-facts';
import { PopulationItem, populationTable, PopulationTable } from './population-items';
import { completenessStatement, PopulationBounds, selectionCriteria } from './population-statement';
import { recordKeepingFacts, RecordKeepingFacts } from './record-keeping';
import { plannedSample, SampleBasis } from './sample-size';
import { drawSample } from './sampling';
import { describeSystem, SystemDescription } from './system-description';
import { ControlAutomation, ControlFrequency, ControlTestSpec, DEFAULT_LATE_EVIDENCE_HOURS, EvidenceTemplate } from './template';
import { ManagementResponse, PackInputs, runTest, TestException, TestOutcome, TestStatus } from './test-kinds';

export const CONTROLS_FORMAT = 'evidence-ledger/controls/v3';

/** The pack a report is about: who, when, what, and the checkpoint everything is proven to. */
export interface PackSubject {
  readonly tenant: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly scope: { readonly repositories: readonly string[] };
  readonly checkpoint: { readonly origin: string; readonly treeSize: number; readonly rootHash: string };
  /** The entries the pack carries, sequences [start, end); the population is the period's part of them. */
  readonly entries: { readonly start: number; readonly end: number };
}

/** One test's outcome as controls.json records it: the population by size, not item by item. */
export interface TestResult extends Omit<TestOutcome, 'population' | 'examined'> {
  readonly spec: ControlTestSpec;
  readonly populationSize: number;
}

/**
 * A control's verdict: `not-applicable` when it has no automated test (the template says
 * why), `not-satisfied` when any test found an exception, `satisfied` only when every test
 * examined something and found none, and `not-tested` otherwise — some test had nothing to
 * examine, and the reason names what was missing.
 */
export type ControlStatus = TestStatus | 'not-applicable';

export interface ControlResult {
  readonly id: string;
  readonly title: string;
  readonly objective: string;
  /** How the control operates, as the template states it (absent when it does not). */
  readonly owner?: string;
  readonly frequency?: ControlFrequency;
  readonly automation?: ControlAutomation;
  readonly testPerformed?: string;
  readonly status: ControlStatus;
  readonly reason?: string;
  /** Distinct population items over the control's tests (or, for tests of the log itself, the entries verified). */
  readonly populationSize: number;
  /** How the population was selected: per test, the event types, period, clock and scope. */
  readonly selection: string;
  /** Why the population is complete: the run of the log it is and the proof that covers it. */
  readonly completeness: string;
  readonly exceptions: readonly TestException[];
  /** Exceptions over the sample, and over the population (see `DeviationRate`). */
  readonly deviationRate: { readonly sample: DeviationRate; readonly population: DeviationRate };
  readonly tests: readonly TestResult[];
  /** The Type II sample: `planned` by `basis` (the template's size, the control's frequency or the default), at most the population; each item with what was examined and its result. */
  readonly sample: {
    readonly size: number;
    readonly planned: number;
    readonly basis: SampleBasis;
    readonly items: readonly PopulationItem[];
  };
}

/**
 * Items with an exception out of the items considered: the sample's, or the population's the
 * sample is drawn from (for a control of the log or the pack as a whole, what it examined);
 * `rate` is exceptions / size, null when there is nothing to divide by.
 */
export interface DeviationRate {
  readonly exceptions: number;
  readonly size: number;
  readonly rate: number | null;
}

/** `controls.json`: every control's verdict, recomputable from `events.jsonl` and the template. */
export interface ControlsReport {
  readonly format: typeof CONTROLS_FORMAT;
  readonly template: EvidenceTemplate;
  readonly subject: PackSubject;
  readonly inputs: PackInputs;
  /** Management's assertion and the system's boundaries, from the template and the log. */
  readonly description: SystemDescription;
  /** The framework's record-keeping requirement against this pack's facts, when the template has one. */
  readonly recordKeeping?: RecordKeepingFacts;
  /** The entries recorded (`recordedAt`, the ledger's clock) in the period. */
  readonly population: { readonly entries: number; readonly clock: 'recordedAt' };
  readonly summary: {
    readonly controls: number;
    readonly satisfied: number;
    readonly notSatisfied: number;
    readonly notTested: number;
    readonly notApplicable: number;
    readonly exceptions: number;
    readonly lateEntries: number;
  };
  /** Population entries recorded more than `thresholdHours` after they happened. */
  readonly lateEvidence: { readonly thresholdHours: number; readonly entries: readonly LateEntryFact[] };
  readonly controls: readonly ControlResult[];
}

/** The controls' verdicts, and each control's whole population item by item (for its CSV). */
export interface ControlsAssessment {
  readonly report: ControlsReport;
  /** One per control, in template order. */
  readonly populations: readonly PopulationTable[];
}

// Decides every control of `template` from the population's facts (ControlStatus): nothing
// is satisfied by default — a control whose tests examined nothing is not-tested, with what
// was missing. Exceptions at late entries are marked late. The Type II sample is drawn per
// control, seeded by the checkpoint root.
export function evaluateControls(
  template: EvidenceTemplate,
  facts: PopulationFacts,
  subject: PackSubject,
  inputs: PackInputs,
): ControlsReport {
  return assessControls(template, facts, subject, inputs).report;
}

// evaluateControls, keeping each control's population table: the pack writes it as a CSV and
// the verifier checks the CSV's rows against it.
export function assessControls(
  template: EvidenceTemplate,
  facts: PopulationFacts,
  subject: PackSubject,
  inputs: PackInputs,
): ControlsAssessment {
  const seed = Buffer.from(subject.checkpoint.rootHash, 'base64');
  const thresholdHours = lateEvidenceHours(template);
  const lateEntries = facts.lateEntries.filter((e) => isLate(e, thresholdHours));
  const late = new Set(lateEntries.map((e) => e.sequence));
  const responses = latestResponseByException(facts.responses ?? []);
  const markLate = (x: TestException): TestException => {
    const marked = late.has(x.sequence) ? { ...x, late: true as const } : x;
    const response = responses.get(`${x.sequence} ${x.rule}`);
    return response ? { ...marked, managementResponse: managementResponse(response, subject.period.to) } : marked;
  };
  const index = indexFacts(facts);
  const bounds: PopulationBounds = {
    period: subject.period,
    repositories: subject.scope.repositories,
    checkpoint: subject.checkpoint,
    entries: facts.entries,
    end: subject.entries.end,
  };
  const populations: PopulationTable[] = [];
  const controls = template.controls.map((control): ControlResult => {
    const outcomes = control.tests.map((spec) => ({ spec, outcome: runTest(spec, facts, inputs) }));
    const tests = outcomes.map(({ spec, outcome: { population, examined, exceptions: found, ...rest } }): TestResult => ({
      spec,
      ...rest,
      exceptions: found.map(markLate),
      populationSize: examined ?? population.length,
    }));
    const population = [...new Set(outcomes.flatMap((t) => t.outcome.population))].sort((a, b) => a - b);
    const exceptions = tests.flatMap((t) => t.exceptions);
    const { status, reason } = controlStatus(tests, control.notApplicable);
    const planned = plannedSample(control);
    const size = Math.min(planned.size, population.length);
    const table = populationTable(
      control,
      index,
      outcomes.map((t) => t.outcome.population),
      exceptions,
      late,
    );
    populations.push(table);
    const sample = drawSample(seed, control.id, population, size).map((sequence) => table.item(sequence));
    const populationSize = Math.max(population.length, ...tests.map((t) => t.populationSize));
    return {
      id: control.id,
      title: control.title,
      objective: control.objective,
      ...(control.owner !== undefined ? { owner: control.owner } : {}),
      ...(control.frequency !== undefined ? { frequency: control.frequency } : {}),
      ...(control.automation !== undefined ? { automation: control.automation } : {}),
      ...(control.testPerformed !== undefined ? { testPerformed: control.testPerformed } : {}),
      status,
      ...(reason !== undefined ? { reason } : {}),
      populationSize,
      selection: selectionCriteria(control.tests, bounds),
      completeness: completenessStatement(bounds),
      exceptions,
      deviationRate: {
        sample: deviation(sample.filter((i) => i.result === 'exception').length, size),
        // Over the items the sample is drawn from (a control that also verifies the whole log
        // counts its entries in populationSize, which are no items of it).
        population: deviation(
          table.exceptions + table.unattributed,
          control.tests.some(examinesItems) ? population.length : populationSize,
        ),
      },
      tests,
      sample: { size, planned: planned.size, basis: planned.basis, items: sample },
    };
  });
  const count = (s: ControlStatus) => controls.filter((c) => c.status === s).length;
  const recordKeeping = recordKeepingFacts(template, facts.entries, subject.period, inputs.retention);
  const report: ControlsReport = {
    format: CONTROLS_FORMAT,
    template,
    subject,
    inputs,
    description: describeSystem(template, facts, subject),
    ...(recordKeeping ? { recordKeeping } : {}),
    population: { entries: facts.entries, clock: 'recordedAt' },
    summary: {
      controls: controls.length,
      satisfied: count('satisfied'),
      notSatisfied: count('not-satisfied'),
      notTested: count('not-tested'),
      notApplicable: count('not-applicable'),
      exceptions: controls.reduce((n, c) => n + c.exceptions.length, 0),
      lateEntries: lateEntries.length,
    },
    lateEvidence: { thresholdHours, entries: lateEntries },
    controls,
  };
  return { report, populations };
}

function deviation(exceptions: number, size: number): DeviationRate {
  return { exceptions, size, rate: size === 0 ? null : exceptions / size };
}

// The latest response (highest sequence) per exception, keyed by its entry's sequence and rule.
function latestResponseByException(responses: readonly ResponseFact[]): Map<string, ResponseFact> {
  const latest = new Map<string, ResponseFact>();
  for (const r of responses) {
    const key = `${r.exceptionSequence} ${r.exception.rule}`;
    const known = latest.get(key);
    if (!known || known.sequence < r.sequence) latest.set(key, r);
  }
  return latest;
}

function managementResponse(r: ResponseFact, periodEnd: string): ManagementResponse {
  return {
    rootCause: r.rootCause,
    remediation: r.remediation,
    owner: r.owner,
    dueDate: r.dueDate,
    status: r.status,
    eventId: r.eventId,
    sequence: r.sequence,
    recordedAt: r.recordedAt,
    ...(r.time !== undefined ? { time: r.time } : {}),
    recordedAfterPeriodEnd: r.recordedAt >= periodEnd,
  };
}

/** The template's late-evidence threshold in hours (24 unless it sets one). */
export function lateEvidenceHours(template: EvidenceTemplate): number {
  return template.lateEvidence?.thresholdHours ?? DEFAULT_LATE_EVIDENCE_HOURS;
}

/** Whether an entry was recorded more than `thresholdHours` after the time its producer gives. */
export function isLate(clocks: EntryClocks, thresholdHours: number): boolean {
  if (clocks.time === undefined) return false;
  const happened = Date.parse(clocks.time);
  return Number.isFinite(happened) && Date.parse(clocks.recordedAt) - happened > thresholdHours * 3_600_000;
}

function controlStatus(tests: readonly TestResult[], notApplicable: string | undefined): { status: ControlStatus; reason?: string } {
  if (tests.length === 0) return { status: 'not-applicable', ...(notApplicable !== undefined ? { reason: notApplicable } : {}) };
  if (tests.some((t) => t.status === 'not-satisfied')) return { status: 'not-satisfied' };
  const untested = tests.filter((t) => t.status === 'not-tested');
  if (untested.length === 0) return { status: 'satisfied' };
  const passed = tests.length - untested.length;
  return {
    status: 'not-tested',
    reason: `${passed > 0 ? `${passed} of ${tests.length} tests passed; ` : ''}${untested
      .map((t) => `${t.spec.kind}: ${t.reason ?? 'nothing to examine'}`)
      .join('; ')}`,
  };
}
