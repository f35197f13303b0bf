import {
  CONTROL_AUTOMATION,
  CONTROL_FREQUENCIES,
  ControlAutomation,
  ControlFrequency,
  ControlTemplate,
  ControlTestSpec,
  EvidenceTemplate,
  LEDGER_EVIDENCE,
  LedgerEvidence,
  REVIEW_CHECKPOINTS,
  ReviewCheckpoint,
  SEVERITIES,
  Severity,
  TEST_KINDS,
  TestKind,
} from './template';
import { FieldReader, Obj } from './template-field-reader';
import { reportFieldsOf } from './template-report-fields';

const FRAMEWORK_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAX_CONTROLS = 500;
const MAX_RETENTION_DAYS = 36_500;
const MAX_LATE_EVIDENCE_HOURS = 8_760;

// Checks an already-parsed template (YAML or JSON) field by field and returns it as the
// typed template, with unknown fields refused: a typo in a customer's template must be an
// error naming the file and the field, never a silently ignored test.
export function validateTemplate(value: unknown, source: string): EvidenceTemplate {
  const at: FieldReader = new FieldReader(source);
  const t = at.object(value, '(template)');
  at.only(t, '', [
    'framework',
    'title',
    'version',
    'note',
    'retention',
    'lateEvidence',
    'assertion',
    'complementaryUserEntityControls',
    'statementOfApplicability',
    'documentationIndex',
    'recordKeeping',
    'controls',
  ]);
  const framework = at.string(t, 'framework');
  if (!FRAMEWORK_ID.test(framework)) at.fail('framework', 'must be lowercase letters, digits and -, starting with a letter or digit');
  const controlsValue = t.controls;
  if (!Array.isArray(controlsValue) || controlsValue.length === 0) at.fail('controls', 'must be a non-empty list');
  if (controlsValue.length > MAX_CONTROLS) at.fail('controls', `at most ${MAX_CONTROLS} controls`);
  const controls = controlsValue.map((c, i) => controlOf(at, c, `controls[${i}]`));
  const seen = new Set<string>();
  controls.forEach((c, i) => {
    if (seen.has(c.id)) at.fail(`controls[${i}].id`, `duplicate control id ${c.id}`);
    seen.add(c.id);
  });
  const note = at.optionalString(t, 'note');
  let lateEvidence: EvidenceTemplate['lateEvidence'];
  if (t.lateEvidence !== undefined) {
    const l = at.object(t.lateEvidence, 'lateEvidence');
    at.only(l, 'lateEvidence', ['thresholdHours']);
    lateEvidence = { thresholdHours: at.integer(l, 'lateEvidence', 'thresholdHours', 1, MAX_LATE_EVIDENCE_HOURS) };
  }
  return {
    framework,
    title: at.string(t, 'title'),
    version: at.string(t, 'version'),
    ...(note !== undefined ? { note } : {}),
    retention: { days: retentionDays(at, t, 'retention') },
    ...(lateEvidence ? { lateEvidence } : {}),
    ...reportFieldsOf(at, t, controls),
    controls,
  };
}

function controlOf(at: FieldReader, value: unknown, path: string): ControlTemplate {
  const c = at.object(value, path);
  at.only(c, path, [
    'id',
    'title',
    'objective',
    'owner',
    'frequency',
    'automation',
    'testPerformed',
    'evidence',
    'tests',
    'sampling',
    'notApplicable',
  ]);
  const evidence = at.object(c.evidence, `${path}.evidence`);
  // `readModels` is the first name of `forensics`: templates written with it still load.
  at.only(evidence, `${path}.evidence`, ['eventTypes', 'forensics', 'readModels', 'ledger']);
  if (evidence.forensics !== undefined && evidence.readModels !== undefined)
    at.fail(`${path}.evidence`, 'give forensics or its former name readModels, not both');
  const eventTypes = at.stringList(evidence, `${path}.evidence`, 'eventTypes');
  const forensicsKey = evidence.readModels !== undefined ? 'readModels' : 'forensics';
  const forensics = evidence[forensicsKey] === undefined ? undefined : at.stringList(evidence, `${path}.evidence`, forensicsKey);
  const ledger = evidence.ledger === undefined ? undefined : at.stringList(evidence, `${path}.evidence`, 'ledger');
  ledger?.forEach((x, i) => {
    if (!(LEDGER_EVIDENCE as readonly string[]).includes(x))
      at.fail(`${path}.evidence.ledger[${i}]`, `unknown ledger evidence ${x}; one of ${LEDGER_EVIDENCE.join(', ')}`);
  });
  const testsValue = c.tests ?? [];
  if (!Array.isArray(testsValue)) at.fail(`${path}.tests`, 'must be a list');
  const tests = testsValue.map((x, i) => testOf(at, x, `${path}.tests[${i}]`));
  const notApplicable = at.optionalString(c, 'notApplicable', path);
  if (tests.length === 0 && notApplicable === undefined)
    at.fail(`${path}.tests`, 'a control needs at least one test, or notApplicable with the reason it has none');
  if (tests.length > 0 && notApplicable !== undefined)
    at.fail(`${path}.notApplicable`, 'only a control without tests can be not applicable');
  let sampling: ControlTemplate['sampling'];
  if (c.sampling !== undefined) {
    const s = at.object(c.sampling, `${path}.sampling`);
    at.only(s, `${path}.sampling`, ['size']);
    sampling = { size: at.integer(s, `${path}.sampling`, 'size', 1, 10_000) };
  }
  const owner = at.optionalString(c, 'owner', path);
  const frequency = at.optionalString(c, 'frequency', path);
  if (frequency !== undefined && !(CONTROL_FREQUENCIES as readonly string[]).includes(frequency))
    at.fail(`${path}.frequency`, `must be one of ${CONTROL_FREQUENCIES.join(', ')}`);
  const automation = at.optionalString(c, 'automation', path);
  if (automation !== undefined && !(CONTROL_AUTOMATION as readonly string[]).includes(automation))
    at.fail(`${path}.automation`, `must be one of ${CONTROL_AUTOMATION.join(', ')}`);
  const testPerformed = at.optionalString(c, 'testPerformed', path);
  return {
    id: at.string(c, 'id', path),
    title: at.string(c, 'title', path),
    objective: at.string(c, 'objective', path),
    ...(owner !== undefined ? { owner } : {}),
    ...(frequency !== undefined ? { frequency: frequency as ControlFrequency } : {}),
    ...(automation !== undefined ? { automation: automation as ControlAutomation } : {}),
    ...(testPerformed !== undefined ? { testPerformed } : {}),
    evidence: { eventTypes, ...(forensics ? { forensics } : {}), ...(ledger ? { ledger: ledger as LedgerEvidence[] } : {}) },
    tests,
    ...(sampling ? { sampling } : {}),
    ...(notApplicable !== undefined ? { notApplicable } : {}),
  };
}

function testOf(at: FieldReader, value: unknown, path: string): ControlTestSpec {
  const t = at.object(value, path);
  const kind = at.string(t, 'kind', path);
  if (!(TEST_KINDS as readonly string[]).includes(kind))
    at.fail(`${path}.kind`, `unknown test kind ${kind}; one of ${TEST_KINDS.join(', ')}`);
  switch (kind as TestKind) {
    case 'scan-passed-before-merge': {
      at.only(t, path, ['kind', 'requiredKinds', 'maxSeverity']);
      const requiredKinds = t.requiredKinds === undefined ? undefined : at.stringList(t, path, 'requiredKinds');
      const maxSeverity = at.optionalString(t, 'maxSeverity', path);
      if (maxSeverity !== undefined && !(SEVERITIES as readonly string[]).includes(maxSeverity))
        at.fail(`${path}.maxSeverity`, `must be one of ${SEVERITIES.join(', ')}`);
      return {
        kind: 'scan-passed-before-merge',
        ...(requiredKinds ? { requiredKinds } : {}),
        ...(maxSeverity ? { maxSeverity: maxSeverity as Severity } : {}),
      };
    }
    case 'policy-evaluated-before-merge': {
      at.only(t, path, ['kind', 'requireDecision']);
      if (t.requireDecision !== undefined && typeof t.requireDecision !== 'boolean')
        at.fail(`${path}.requireDecision`, 'must be true or false');
      return {
        kind: 'policy-evaluated-before-merge',
        ...(t.requireDecision !== undefined ? { requireDecision: t.requireDecision as boolean } : {}),
      };
    }
    case 'human-oversight-at-checkpoints': {
      at.only(t, path, ['kind', 'checkpoints']);
      const checkpoints = at.stringList(t, path, 'checkpoints');
      if (checkpoints.length === 0) at.fail(`${path}.checkpoints`, 'name at least one checkpoint');
      checkpoints.forEach((c, i) => {
        if (!(REVIEW_CHECKPOINTS as readonly string[]).includes(c))
          at.fail(`${path}.checkpoints[${i}]`, `unknown checkpoint ${c}; one of ${REVIEW_CHECKPOINTS.join(', ')}`);
      });
      return { kind: 'human-oversight-at-checkpoints', checkpoints: checkpoints as ReviewCheckpoint[] };
    }
    case 'retention-met':
      at.only(t, path, ['kind', 'minimumDays']);
      return { kind: 'retention-met', minimumDays: at.integer(t, path, 'minimumDays', 1, MAX_RETENTION_DAYS) };
    default:
      at.only(t, path, ['kind']);
      return { kind } as ControlTestSpec;
  }
}

function retentionDays(at: FieldReader, t: Obj, field: string): number {
  const r = at.object(t[field], field);
  at.only(r, field, ['days']);
  return at.integer(r, field, 'days', 1, MAX_RETENTION_DAYS);
}
