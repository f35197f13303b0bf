import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { evaluateControls, leafHash } from '@evidence-ledger/core';
import { demoScenario } from '@evidence-ledger/samples';
import { asEntries } from '../../../core/src/forensics/testing/log-entries';
import { assessmentResults, OSCAL_VERSION, oscalToken } from './oscal-results';
import { PopulationFold } from '@evidence-ledger/verify';
import { TemplateCatalog } from '../templates/template-catalog';

const PERIOD = { from: '2026-10-01T00:00:00.000Z', to: '2026-10-02T00:00:00.000Z' };
const catalog = TemplateCatalog.load();
const entries = asEntries(demoScenario().events);
const fold = new PopulationFold({ ...PERIOD, repositories: [] });
for (const e of entries) fold.add(e, leafHash(Buffer.from(e.id)));

function documentFor(framework: string, facts = fold.facts()): Record<string, unknown> {
  const template = catalog.get(framework);
  if (!template) throw new Error(framework);
  const report = evaluateControls(
    template,
    facts,
    {
      tenant: 'acme',
      period: PERIOD,
      scope: { repositories: [] },
      checkpoint: { origin: 'ledger.test/acme', treeSize: entries.length, rootHash: Buffer.alloc(32, 7).toString('base64') },
      entries: { start: 0, end: entries.length },
    },
    {
      logIntegrity: { verified: true, entries: entries.length },
      retention: { days: template.retention.days, locked: true, archive: 's3' },
    },
  );
  return assessmentResults(report, entries[entries.length - 1].recordedAt);
}

function validator(schemaFile: string) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
}

const FRAMEWORKS = ['soc2', 'iso27001', 'hipaa', 'eu-ai-act'];

interface OscalResult {
  'reviewed-controls': unknown;
  observations: { uuid: string }[];
  findings: { target: { 'target-id': string; status: { state: string } } }[];
}

describe('OSCAL assessment results', () => {
  it.each(FRAMEWORKS)('%s validates against the assessment-results structure the pack promises', (framework) => {
    const validate = validator(join(__dirname, '../../../../test/fixtures/pack-oscal-assessment-results.schema.json'));
    const ok = validate(documentFor(framework));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  // NIST's own schema for the version the pack declares, vendored byte for byte (see its README).
  const officialSchema = join(__dirname, '../../../../test/fixtures/oscal/1.1.2/oscal_assessment-results_schema.json');
  const OFFICIAL_SHA256 = 'd033da70154cf6625ae46a746199e88e58f2928b1387dfac051d381b92f41b0d';

  it('uses the unmodified NIST OSCAL 1.1.2 assessment-results schema', () => {
    const bytes = readFileSync(officialSchema);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(OFFICIAL_SHA256);
    expect((JSON.parse(bytes.toString('utf8')) as { $id: string }).$id).toBe(
      `http://csrc.nist.gov/ns/oscal/${OSCAL_VERSION}/oscal-ar-schema.json`,
    );
  });

  it.each(FRAMEWORKS)('%s validates against the official NIST OSCAL 1.1.2 schema', (framework) => {
    const validate = validator(officialSchema);
    const ok = validate(documentFor(framework));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    ['a finding state OSCAL does not define', (r: OscalResult) => (r.findings[0].target.status.state = 'not-applicable')],
    ['a result without reviewed controls', (r: OscalResult) => delete (r as Partial<OscalResult>)['reviewed-controls']],
    ['an observation uuid that is not a v4/v5 UUID', (r: OscalResult) => (r.observations[0].uuid = '01890a5d-ac96-774b-bcce-b302099a8057')],
    ['a control id that is not an OSCAL token', (r: OscalResult) => (r.findings[0].target['target-id'] = '164.312(b)')],
  ])('the official schema refuses %s', (_name, spoil) => {
    const doc = documentFor('hipaa') as { 'assessment-results': { results: OscalResult[] } };
    spoil(doc['assessment-results'].results[0]);
    expect(validator(officialSchema)(doc)).toBe(false);
  });

  it('reports every control as reviewed, a finding per decided control, and is the same document for the same pack', () => {
    const doc = documentFor('hipaa') as {
      'assessment-results': {
        results: { 'reviewed-controls': unknown; findings: { target: { 'target-id': string; status: { state: string } } }[] }[];
      };
    };
    const result = doc['assessment-results'].results[0];
    expect(result['reviewed-controls']).toEqual({
      'control-selections': [{ 'include-controls': catalog.get('hipaa')?.controls.map((c) => ({ 'control-id': oscalToken(c.id) })) }],
    });
    expect(result.findings.map((f) => `${f.target['target-id']} ${f.target.status.state}`)).toEqual([
      '_164.312_b satisfied',
      '_164.312_c_1 not-satisfied',
      '_164.312_c_2 satisfied',
      '_164.308_a_1_ii_D not-satisfied',
      '_164.316_b_2 satisfied',
    ]);
    expect(JSON.stringify(documentFor('hipaa'))).toBe(JSON.stringify(doc));
  });

  it.each(FRAMEWORKS)(
    '%s over an empty period asserts nothing satisfied: not-tested findings, valid against the NIST schema',
    (framework) => {
      const empty = new PopulationFold({ ...PERIOD, repositories: [] }).facts();
      const doc = documentFor(framework, empty);
      const validate = validator(officialSchema);
      expect(validate(doc) ? [] : validate.errors).toEqual([]);
      const findings = (doc as { 'assessment-results': { results: OscalResult[] } })['assessment-results'].results[0]
        .findings as unknown as {
        props: { name: string; value: string }[];
        target: { status: { state: string; reason: string; remarks: string } };
      }[];
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) {
        expect(f.target.status).toMatchObject({ state: 'not-satisfied', reason: 'other' });
        expect(f.target.status.remarks).toMatch(/^Not tested: /);
        expect(f.props).toContainEqual(expect.objectContaining({ name: 'control-status', value: 'not-tested' }));
      }
    },
  );

  it('shows both clocks of an exception entry and observes late evidence', () => {
    const late = new PopulationFold({ ...PERIOD, repositories: [] });
    const backdated = asEntries(demoScenario().events).map((e) => ({ ...e, time: '2026-09-01T00:00:00Z' }));
    for (const e of backdated) late.add(e, leafHash(Buffer.from(e.id)));
    const doc = documentFor('soc2', late.facts()) as {
      'assessment-results': { results: { observations: { title: string; description: string }[]; findings: { description: string }[] }[] };
    };
    const result = doc['assessment-results'].results[0];
    const observed = result.observations.find((o) => o.title === 'Late evidence');
    expect(observed?.description).toMatch(/^\d+ entries were recorded more than 24 hours after the time their producer gives/);
    const failing = result.findings.map((f) => f.description).find((d) => d.includes('exception'));
    expect(failing).toMatch(
      /entry \d+ \(event [\w-]+, leaf [0-9a-f]{12}; happened 2026-09-01T00:00:00Z, recorded 2026-10-01T08:\d\d:\d\d\.000Z, late evidence\)/,
    );
    const validate = validator(officialSchema);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
  });

  it('turns control ids into OSCAL tokens', () => {
    expect(oscalToken('CC8.1')).toBe('CC8.1');
    expect(oscalToken('Art. 11 + Annex IV')).toBe('Art._11_Annex_IV');
    expect(oscalToken('164.312(a)(2)(i)')).toBe('_164.312_a_2_i');
  });
});
