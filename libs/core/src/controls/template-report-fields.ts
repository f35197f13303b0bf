import {
  ApplicabilityStatement,
  ASSERTION_PLACEHOLDERS,
  ControlTemplate,
  DocumentationPoint,
  EvidenceTemplate,
  RecordKeepingRule,
} from './template';
import { FieldReader, Obj } from './template-field-reader';

type ReportFields = Pick<
  EvidenceTemplate,
  'assertion' | 'complementaryUserEntityControls' | 'statementOfApplicability' | 'documentationIndex' | 'recordKeeping'
>;

const MAX_RETENTION_DAYS = 36_500;
const MAX_LIST = 1_000;

// The fields that lay the report out as auditors read it: management's assertion, the
// complementary user-entity controls, and the framework's own sections (Statement of
// Applicability, technical-documentation index, record keeping). Every control they name
// must be one of the template's, so a renamed control never leaves a dangling reference.
export function reportFieldsOf(at: FieldReader, t: Obj, controls: readonly ControlTemplate[]): ReportFields {
  const ids = new Set(controls.map((c) => c.id));
  const assertion = at.optionalString(t, 'assertion');
  if (assertion !== undefined) checkPlaceholders(at, assertion, 'assertion');
  const cuecs = t.complementaryUserEntityControls === undefined ? undefined : at.stringList(t, '', 'complementaryUserEntityControls');
  const soa =
    t.statementOfApplicability === undefined
      ? undefined
      : list(at, t, 'statementOfApplicability').map((x, i) => applicability(at, x, `statementOfApplicability[${i}]`, ids));
  unique(
    at,
    soa?.map((s) => s.id),
    'statementOfApplicability',
  );
  const index =
    t.documentationIndex === undefined
      ? undefined
      : list(at, t, 'documentationIndex').map((x, i) => documentationPoint(at, x, `documentationIndex[${i}]`, ids));
  unique(
    at,
    index?.map((p) => p.point),
    'documentationIndex',
  );
  let recordKeeping: RecordKeepingRule | undefined;
  if (t.recordKeeping !== undefined) {
    const r = at.object(t.recordKeeping, 'recordKeeping');
    at.only(r, 'recordKeeping', ['title', 'requirement', 'minimumDays']);
    recordKeeping = {
      title: at.string(r, 'title', 'recordKeeping'),
      requirement: at.string(r, 'requirement', 'recordKeeping'),
      minimumDays: at.integer(r, 'recordKeeping', 'minimumDays', 1, MAX_RETENTION_DAYS),
    };
  }
  return {
    ...(assertion !== undefined ? { assertion } : {}),
    ...(cuecs ? { complementaryUserEntityControls: cuecs } : {}),
    ...(soa ? { statementOfApplicability: soa } : {}),
    ...(index ? { documentationIndex: index } : {}),
    ...(recordKeeping ? { recordKeeping } : {}),
  };
}

/** Refuses a placeholder other than ASSERTION_PLACEHOLDERS: a typo must not be printed as is. */
export function checkPlaceholders(at: FieldReader, text: string, path: string): void {
  for (const m of text.matchAll(/\{([^{}]*)\}/g))
    if (!(ASSERTION_PLACEHOLDERS as readonly string[]).includes(m[1]))
      at.fail(path, `unknown placeholder {${m[1]}}; one of ${ASSERTION_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`);
}

function list(at: FieldReader, t: Obj, field: string): unknown[] {
  const v = t[field];
  if (!Array.isArray(v) || v.length === 0) at.fail(field, 'must be a non-empty list');
  if (v.length > MAX_LIST) at.fail(field, `at most ${MAX_LIST} items`);
  return v;
}

function unique(at: FieldReader, keys: readonly string[] | undefined, field: string): void {
  const seen = new Set<string>();
  keys?.forEach((k, i) => {
    if (seen.has(k)) at.fail(`${field}[${i}]`, `duplicate ${k}`);
    seen.add(k);
  });
}

function controlRefs(at: FieldReader, o: Obj, path: string, ids: ReadonlySet<string>): string[] | undefined {
  if (o.controls === undefined) return undefined;
  const refs = at.stringList(o, path, 'controls');
  refs.forEach((r, i) => {
    if (!ids.has(r)) at.fail(`${path}.controls[${i}]`, `no control ${r} in this template`);
  });
  return refs;
}

function applicability(at: FieldReader, value: unknown, path: string, ids: ReadonlySet<string>): ApplicabilityStatement {
  const o = at.object(value, path);
  at.only(o, path, ['id', 'title', 'applicable', 'justification', 'controls']);
  if (typeof o.applicable !== 'boolean') at.fail(`${path}.applicable`, 'must be true or false');
  const controls = controlRefs(at, o, path, ids);
  return {
    id: at.string(o, 'id', path),
    title: at.string(o, 'title', path),
    applicable: o.applicable,
    justification: at.string(o, 'justification', path),
    ...(controls ? { controls } : {}),
  };
}

function documentationPoint(at: FieldReader, value: unknown, path: string, ids: ReadonlySet<string>): DocumentationPoint {
  const o = at.object(value, path);
  at.only(o, path, ['point', 'title', 'evidencedBy', 'controls']);
  const evidencedBy = at.optionalString(o, 'evidencedBy', path);
  const controls = controlRefs(at, o, path, ids);
  return {
    point: at.string(o, 'point', path),
    title: at.string(o, 'title', path),
    ...(evidencedBy !== undefined ? { evidencedBy } : {}),
    ...(controls ? { controls } : {}),
  };
}
