import { EntryClocks, EntryRef, PopulationFacts, RuleFinding } from './population-facts';
import { ControlTestSpec, SEVERITIES, TestKind } from './template';

/** One exception a test found, pointing at the entry that proves it (sequence -1: the pack itself). */
export interface TestException {
  readonly sequence: number;
  /** The entry's event id and hex leaf hash, to trace it (absent for an exception about the pack itself). */
  readonly eventId?: string;
  readonly leafHash?: string;
  readonly changeId?: string;
  /** The exception rule that raised it, or `<test kind>` for a template parameter's own check. */
  readonly rule: string;
  readonly reason: string;
  /** The entry's two clocks (absent for an exception about the pack itself). */
  readonly recordedAt?: string;
  readonly time?: string;
  /** The entry is late evidence (recorded long after it happened). */
  readonly late?: true;
  /** Management's latest response to it recorded up to the pack's checkpoint, when there is one. */
  readonly managementResponse?: ManagementResponse;
}

/**
 * A management response as a pack shows it: what management said, the entry that records it
 * (`eventId`, `sequence`, both clocks), and whether it was recorded after the period ended.
 */
export interface ManagementResponse {
  readonly rootCause: string;
  readonly remediation: string;
  readonly owner: string;
  readonly dueDate: string;
  readonly status: string;
  readonly eventId: string;
  readonly sequence: number;
  readonly recordedAt: string;
  readonly time?: string;
  readonly recordedAfterPeriodEnd: boolean;
}

/**
 * A test's verdict. `not-tested`: the test examined nothing that could decide it (no item in
 * the period and scope, no entry to verify, a pack the archive does not lock) — never
 * counted as satisfied; the reason says what was missing.
 */
export type TestStatus = 'satisfied' | 'not-satisfied' | 'not-tested';

export interface TestOutcome {
  readonly status: TestStatus;
  /** Sequences of the population items the test examined (merges, deployments, …). */
  readonly population: readonly number[];
  /** How many things it examined, when they are not entries to sample (log entries verified, the pack's lock). */
  readonly examined?: number;
  /** What the population is, e.g. `merges`. */
  readonly populationOf: string;
  readonly exceptions: readonly TestException[];
  /** What was missing, when the test is not tested. */
  readonly reason?: string;
}

/** How the archive keeps the pack, as the service states it when it builds the pack. */
export interface PackRetention {
  /** The days the pack is kept from the moment it is archived. */
  readonly days: number;
  /** Whether the archive enforces it (S3 Object Lock in COMPLIANCE mode); a directory does not. */
  readonly locked: boolean;
  /** Where it is archived: `s3`, `disk`, or `none` when the pack was built outside the service. */
  readonly archive: 's3' | 'disk' | 'none';
}

/** What a pack itself contributes: whether its log and proofs verified, and its retention. */
export interface PackInputs {
  readonly logIntegrity: { readonly verified: boolean; readonly entries: number; readonly problem?: string };
  readonly retention: PackRetention;
}

/**
 * The exception rules each test kind reuses (libs/core/src/forensics/exceptions), so the
 * service's forensics, the pack and the offline verifier judge a control the same way.
 */
export const RULES_BY_TEST_KIND: Readonly<Record<TestKind, readonly string[]>> = {
  'independent-approval-before-merge': ['merged-without-independent-approval', 'approver-is-author'],
  'scan-passed-before-merge': ['merged-with-failing-scan', 'merged-without-required-scan'],
  'policy-evaluated-before-merge': ['merged-after-policy-deny'],
  'model-on-allow-list': ['model-not-allowed', 'invalid-governance-settings'],
  'deploy-approved': ['deployed-without-approval'],
  'agent-within-scope': ['agent-outside-scope'],
  'human-oversight-at-checkpoints': ['merged-without-independent-approval', 'deployed-without-approval'],
  'log-integrity-verified': [],
  'retention-met': [],
};

// Runs one test over the population's facts. Pure: the same facts give the same outcome.
export function runTest(spec: ControlTestSpec, facts: PopulationFacts, inputs: PackInputs): TestOutcome {
  switch (spec.kind) {
    case 'independent-approval-before-merge':
    case 'deploy-approved':
    case 'agent-within-scope':
    case 'model-on-allow-list': {
      const { items, of } = populationOf(spec.kind, facts);
      return outcome(items, of, ruleExceptions(facts.findings, RULES_BY_TEST_KIND[spec.kind]));
    }
    case 'scan-passed-before-merge':
      return scanPassed(spec, facts);
    case 'policy-evaluated-before-merge': {
      const exceptions = ruleExceptions(facts.findings, RULES_BY_TEST_KIND[spec.kind]);
      if (spec.requireDecision)
        for (const m of facts.merges)
          if (m.policyDecisions === 0 && !exceptions.some((x) => x.sequence === m.sequence))
            exceptions.push({
              ...refOf(m),
              changeId: m.changeId,
              rule: spec.kind,
              reason: 'merged with no policy decision recorded',
              ...clocksOf(m),
            });
      return outcome(
        facts.merges.map((m) => m.sequence),
        'merges',
        exceptions,
      );
    }
    case 'human-oversight-at-checkpoints':
      return humanOversight(spec.checkpoints, facts);
    case 'log-integrity-verified':
      return logIntegrity(spec.kind, facts, inputs);
    case 'retention-met':
      return retentionMet(spec.minimumDays, facts, inputs.retention);
  }
}

// The pack's entries lead to the signed checkpoint. It examines the period's entries: with
// none recorded in the period, there is nothing whose integrity the pack shows.
function logIntegrity(kind: TestKind, facts: PopulationFacts, inputs: PackInputs): TestOutcome {
  const { verified, problem } = inputs.logIntegrity;
  const populationOf = 'log entries recorded in the period';
  if (!verified)
    return {
      status: 'not-satisfied',
      population: [],
      examined: facts.entries,
      populationOf,
      exceptions: [{ sequence: -1, rule: kind, reason: problem ?? 'the log entries do not verify against the signed checkpoint' }],
    };
  if (facts.entries === 0) return notTested(populationOf, 'no log entries recorded in the period');
  return { status: 'satisfied', population: [], examined: facts.entries, populationOf, exceptions: [] };
}

// Retention is met only when the archive enforces it: a pack in a directory, or built outside
// the service, is not locked, and the ledger does not claim a retention nobody enforces. A
// pack with no entry of the period retains nothing of it.
function retentionMet(minimumDays: number, facts: PopulationFacts, retention: PackRetention): TestOutcome {
  const populationOf = 'evidence pack locked in the archive';
  if (facts.entries === 0) return notTested(populationOf, 'no entries recorded in the period to retain');
  if (!retention.locked)
    return notTested(
      populationOf,
      retention.archive === 'disk'
        ? 'the pack is not locked: the archive is a directory, which does not enforce retention'
        : 'the pack is not locked: it was not built for an archive that enforces retention',
    );
  const met = retention.days >= minimumDays;
  return {
    status: met ? 'satisfied' : 'not-satisfied',
    population: [],
    examined: 1,
    populationOf,
    exceptions: met
      ? []
      : [
          {
            sequence: -1,
            rule: 'retention-met',
            reason: `the pack is locked for ${retention.days} days; the control needs ${minimumDays}`,
          },
        ],
  };
}

function populationOf(kind: TestKind, facts: PopulationFacts): { items: number[]; of: string } {
  switch (kind) {
    case 'deploy-approved':
      return { items: facts.deployments.map((d) => d.sequence), of: 'deployments needing approval' };
    case 'agent-within-scope':
      return { items: facts.agentActions.map((a) => a.sequence), of: 'agent actions' };
    case 'model-on-allow-list':
      return {
        items: [...facts.modelCalls, ...facts.settingsUpdates].map((m) => m.sequence).sort((a, b) => a - b),
        of: 'model calls and settings updates',
      };
    default:
      return { items: facts.merges.map((m) => m.sequence), of: 'merges' };
  }
}

function ruleExceptions(findings: readonly RuleFinding[], rules: readonly string[]): TestException[] {
  return findings
    .filter((f) => rules.includes(f.rule))
    .map((f) => ({
      ...refOf(f),
      ...(f.changeId !== undefined ? { changeId: f.changeId } : {}),
      rule: f.rule,
      reason: f.reason,
      ...clocksOf(f),
    }));
}

/** Where an entry is (sequence, event id, leaf hash), as an exception carries it. */
export function refOf(e: EntryRef): EntryRef {
  return { sequence: e.sequence, eventId: e.eventId, leafHash: e.leafHash };
}

/** An entry's two clocks, as an exception carries them. */
export function clocksOf(e: EntryClocks): EntryClocks {
  return { recordedAt: e.recordedAt, ...(e.time !== undefined ? { time: e.time } : {}) };
}

// The tenant's own rules first; then the template's required kinds and severity ceiling,
// checked on scans of the merged head commit (any scan when the change names no commit).
function scanPassed(spec: Extract<ControlTestSpec, { kind: 'scan-passed-before-merge' }>, facts: PopulationFacts): TestOutcome {
  const exceptions = ruleExceptions(facts.findings, RULES_BY_TEST_KIND[spec.kind]);
  const ceiling = spec.maxSeverity === undefined ? undefined : SEVERITIES.indexOf(spec.maxSeverity);
  for (const m of facts.merges) {
    if (exceptions.some((x) => x.sequence === m.sequence)) continue;
    const head = m.scans.filter((s) => m.headCommit === undefined || s.commit === undefined || s.commit === m.headCommit);
    const missing = (spec.requiredKinds ?? []).filter((k) => !head.some((s) => s.kind === k && s.passed));
    let reason: string | undefined;
    if (missing.length > 0) reason = `merged without a passing ${missing.join(', ')} scan of the head commit`;
    else if (ceiling !== undefined) {
      const over = head.find((s) => SEVERITIES.some((sev, i) => i > ceiling && (s.findings[sev] ?? 0) > 0));
      if (over) reason = `merged with ${over.kind} findings above ${spec.maxSeverity}`;
    }
    if (reason) exceptions.push({ ...refOf(m), changeId: m.changeId, rule: spec.kind, reason, ...clocksOf(m) });
  }
  return outcome(
    facts.merges.map((m) => m.sequence),
    'merges',
    exceptions,
  );
}

// AI-generated changes need a human, independent decision at each named checkpoint. Merge
// and deploy reuse the rules that judge those approvals; other checkpoints (design, security,
// test) need an independent approval recorded before the merge.
function humanOversight(checkpoints: readonly string[], facts: PopulationFacts): TestOutcome {
  const aiMerges = facts.merges.filter((m) => m.aiGenerated);
  const aiChanges = new Set(aiMerges.map((m) => m.changeId));
  const aiDeploys = facts.deployments.filter((d) => d.aiGenerated);
  const population = [...(checkpoints.some((c) => c !== 'deploy') ? aiMerges : []), ...(checkpoints.includes('deploy') ? aiDeploys : [])]
    .map((x) => x.sequence)
    .sort((a, b) => a - b);
  const exceptions: TestException[] = [];
  if (checkpoints.includes('merge'))
    exceptions.push(
      ...ruleExceptions(facts.findings, ['merged-without-independent-approval']).filter((x) => x.changeId && aiChanges.has(x.changeId)),
    );
  if (checkpoints.includes('deploy')) {
    const deploySeqs = new Set(aiDeploys.map((d) => d.sequence));
    exceptions.push(...ruleExceptions(facts.findings, ['deployed-without-approval']).filter((x) => deploySeqs.has(x.sequence)));
  }
  for (const checkpoint of checkpoints.filter((c) => c !== 'merge' && c !== 'deploy'))
    for (const m of aiMerges)
      if (!m.reviews.some((r) => r.checkpoint === checkpoint && r.decision === 'approve' && r.independent))
        exceptions.push({
          ...refOf(m),
          changeId: m.changeId,
          rule: 'human-oversight-at-checkpoints',
          reason: `merged with no independent human approval at the ${checkpoint} checkpoint`,
          ...clocksOf(m),
        });
  exceptions.sort((a, b) => a.sequence - b.sequence);
  return outcome(population, 'AI-generated merges and deployments', exceptions);
}

// A test that had nothing to examine: never satisfied, and it says what was missing.
function notTested(populationOf: string, reason: string): TestOutcome {
  return { status: 'not-tested', population: [], examined: 0, populationOf, exceptions: [], reason };
}

function outcome(population: readonly number[], populationOf: string, exceptions: TestException[]): TestOutcome {
  exceptions.sort((a, b) => a.sequence - b.sequence || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  if (population.length === 0 && exceptions.length === 0)
    return { status: 'not-tested', population, populationOf, exceptions, reason: `no ${populationOf} in the period and scope` };
  return { status: exceptions.length === 0 ? 'satisfied' : 'not-satisfied', population, populationOf, exceptions };
}

/** The exception rules one configured test reuses (human oversight: those of its named checkpoints). */
export function rulesReusedBy(spec: ControlTestSpec): readonly string[] {
  if (spec.kind !== 'human-oversight-at-checkpoints') return RULES_BY_TEST_KIND[spec.kind];
  return [
    ...(spec.checkpoints.includes('merge') ? ['merged-without-independent-approval'] : []),
    ...(spec.checkpoints.includes('deploy') ? ['deployed-without-approval'] : []),
  ];
}
