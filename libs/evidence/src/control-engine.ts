import { PopulationFacts } from './population-facts';
import { drawSample } from './sampling';
import { ControlTestSpec, EvidenceTemplate } from './template';
import { PackInputs, runTest, TestException, TestOutcome, TestStatus } from './test-kinds';

export const CONTROLS_FORMAT = 'evidence-ledger/controls/v1';

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
export interface TestResult extends Omit<TestOutcome, 'population'> {
  readonly spec: ControlTestSpec;
  readonly populationSize: number;
}

export interface ControlResult {
  readonly id: string;
  readonly title: string;
  readonly objective: string;
  readonly status: TestStatus;
  readonly reason?: string;
  /** Distinct population items over the control's tests. */
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
  readonly population: { readonly entries: number };
  readonly summary: {
    readonly controls: number;
    readonly satisfied: number;
    readonly notSatisfied: number;
    readonly notApplicable: number;
    readonly exceptions: number;
  };
  readonly controls: readonly ControlResult[];
}

const DEFAULT_SAMPLE = 25;

// Decides every control of `template` from the population's facts: a control is
// not-satisfied when any test finds an exception, not-applicable when it has no automated
// test (with the template's reason) or none of its tests had anything to examine, and
// satisfied otherwise. The Type II sample is drawn per control, seeded by the checkpoint root.
export function evaluateControls(
  template: EvidenceTemplate,
  facts: PopulationFacts,
  subject: PackSubject,
  inputs: PackInputs,
): ControlsReport {
  const seed = Buffer.from(subject.checkpoint.rootHash, 'base64');
  const controls = template.controls.map((control): ControlResult => {
    const outcomes = control.tests.map((spec) => ({ spec, outcome: runTest(spec, facts, inputs) }));
    const tests = outcomes.map(({ spec, outcome: { population, ...rest } }): TestResult => ({
      spec,
      ...rest,
      populationSize: population.length,
    }));
    const population = [...new Set(outcomes.flatMap((t) => t.outcome.population))].sort((a, b) => a - b);
    const exceptions = tests.flatMap((t) => t.exceptions);
    let status: TestStatus;
    let reason: string | undefined;
    if (tests.length === 0) {
      status = 'not-applicable';
      reason = control.notApplicable;
    } else if (tests.some((t) => t.status === 'not-satisfied')) status = 'not-satisfied';
    else if (tests.every((t) => t.status === 'not-applicable')) {
      status = 'not-applicable';
      reason = tests.map((t) => t.reason).join('; ');
    } else status = 'satisfied';
    const size = Math.min(control.sampling?.size ?? DEFAULT_SAMPLE, population.length);
    return {
      id: control.id,
      title: control.title,
      objective: control.objective,
      status,
      ...(reason !== undefined ? { reason } : {}),
      populationSize: population.length,
      exceptions,
      tests,
      sample: { size, sequences: drawSample(seed, control.id, population, size) },
    };
  });
  const count = (s: TestStatus) => controls.filter((c) => c.status === s).length;
  return {
    format: CONTROLS_FORMAT,
    template,
    subject,
    inputs,
    population: { entries: facts.entries },
    summary: {
      controls: controls.length,
      satisfied: count('satisfied'),
      notSatisfied: count('not-satisfied'),
      notApplicable: count('not-applicable'),
      exceptions: controls.reduce((n, c) => n + c.exceptions.length, 0),
    },
    controls,
  };
}
