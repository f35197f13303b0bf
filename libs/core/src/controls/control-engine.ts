import { EntryClocks, LateEntryFact, PopulationFacts } from './population-facts';
import { drawSample } from './sampling';
import { ControlTestSpec, DEFAULT_LATE_EVIDENCE_HOURS, EvidenceTemplate } from './template';
import { PackInputs, runTest, TestException, TestOutcome, TestStatus } from './test-kinds';

export const CONTROLS_FORMAT = 'evidence-ledger/controls/v2';

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
  readonly status: ControlStatus;
  readonly reason?: string;
  /** Distinct population items over the control's tests (or, for tests of the log itself, the entries verified). */
  readonly populationSize: number;
  readonly exceptions: readonly TestException[];
  readonly tests: readonly TestResult[];
  readonly sample: { readonly size: number; readonly sequences: readonly number[] };
}

/** `controls.json`: every control's verdict, recomputable from `events.jsonl` and the template. */
export interface ControlsReport {
  readonly format: typeof CONTROLS_FORMAT;
  readonly template: EvidenceTemplate;
  readonly subject: PackSubject;
  readonly inputs: PackInputs;
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

const DEFAULT_SAMPLE = 25;

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
  const seed = Buffer.from(subject.checkpoint.rootHash, 'base64');
  const thresholdHours = lateEvidenceHours(template);
  const lateEntries = facts.lateEntries.filter((e) => isLate(e, thresholdHours));
  const late = new Set(lateEntries.map((e) => e.sequence));
  const markLate = (x: TestException): TestException => (late.has(x.sequence) ? { ...x, late: true } : x);
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
    const size = Math.min(control.sampling?.size ?? DEFAULT_SAMPLE, population.length);
    return {
      id: control.id,
      title: control.title,
      objective: control.objective,
      status,
      ...(reason !== undefined ? { reason } : {}),
      populationSize: Math.max(population.length, ...tests.map((t) => t.populationSize)),
      exceptions,
      tests,
      sample: { size, sequences: drawSample(seed, control.id, population, size) },
    };
  });
  const count = (s: ControlStatus) => controls.filter((c) => c.status === s).length;
  return {
    format: CONTROLS_FORMAT,
    template,
    subject,
    inputs,
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
