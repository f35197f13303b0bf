import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { unzipSync } from 'fflate';
import addFormats from 'ajv-formats';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { ControlsReport, evaluateControls, EvidenceTemplate, leafHash, rulesReusedBy } from '@evidence-ledger/core';
import { sqliteHandle, StoreHandle } from '../../../ledger/src/testing/ledger-fixture';
import { asEntries } from '../../../core/src/forensics/testing/log-entries';
import { demoScenario } from '@evidence-ledger/samples';
import { TemplateCatalog } from '../templates/template-catalog';
import { Ledger } from '@evidence-ledger/ledger';
import { buildEvidencePack, PackRequest } from './pack-builder';
import { PACK_FILES, PopulationFold, verifyEvidencePack } from '@evidence-ledger/verify';
import {
  appendAll,
  cleanEvents,
  flipByte,
  ledgerWithClock,
  packFile,
  pdfTextRuns,
  replaceText,
  tamper,
  trustOf,
  withPlanted,
} from '../testing/pack-fixtures';

const FRAMEWORKS = ['soc2', 'iso27001', 'hipaa', 'eu-ai-act'];
const PERIOD = { from: '2026-10-01T00:00:00.000Z', to: '2026-10-02T00:00:00.000Z' };
const catalog = TemplateCatalog.load();
const scenario = demoScenario();
const signer = LocalKeySigner.generate('ledger.test');
const trust = trustOf(signer);
const request = (framework: string, over: Partial<PackRequest> = {}): PackRequest => ({
  tenant: 'acme',
  framework,
  ...PERIOD,
  repositories: [],
  ...over,
});
const template = (framework: string): EvidenceTemplate => catalog.get(framework) as EvidenceTemplate;

const handles: StoreHandle[] = [];
async function seededLedger(events: Record<string, unknown>[]): Promise<Ledger> {
  const handle = sqliteHandle();
  handles.push(handle);
  const ledger = ledgerWithClock(await handle.open(), signer);
  await appendAll(ledger, 'acme', events);
  return ledger;
}
afterAll(async () => {
  for (const h of handles) await h.cleanup();
});

// The controls a planted exception must fail: those with a test that reuses its rule.
function controlsReusing(t: EvidenceTemplate, rule: string): string[] {
  return t.controls.filter((c) => c.tests.some((x) => rulesReusedBy(x).includes(rule))).map((c) => c.id);
}

// NIST's OSCAL 1.1.2 assessment-results schema, vendored unmodified (oscal-results.spec.ts pins its digest).
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const officialOscal = ajv.compile(
  JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/oscal/1.1.2/oscal_assessment-results_schema.json'), 'utf8')) as object,
);
function oscalErrors(zip: Buffer): unknown[] {
  return officialOscal(JSON.parse(packFile(zip, PACK_FILES.oscal))) ? [] : (officialOscal.errors ?? ['invalid']);
}

function notSatisfied(report: ControlsReport): string[] {
  return report.controls.filter((c) => c.status === 'not-satisfied').map((c) => c.id);
}

describe('evidence packs over a real SQLite ledger', () => {
  let demo: Ledger;
  beforeAll(async () => {
    demo = await seededLedger(scenario.events);
  });

  it('a clean period satisfies every applicable control of every framework', async () => {
    const clean = await seededLedger(cleanEvents(scenario));
    for (const framework of FRAMEWORKS) {
      const pack = await buildEvidencePack(clean, request(framework), { template: template(framework) });
      expect({ framework, failing: notSatisfied(pack.controls) }).toEqual({ framework, failing: [] });
      const applicable = pack.controls.controls.filter((c) => c.status !== 'not-applicable');
      expect(applicable.length).toBeGreaterThan(0);
      for (const c of pack.controls.controls.filter((x) => x.status === 'not-applicable')) expect(c.reason).toBeTruthy();
      expect(verifyEvidencePack(pack.zip, trust).failures).toEqual([]);
      expect({ framework, oscal: oscalErrors(pack.zip) }).toEqual({ framework, oscal: [] });
    }
  });

  it('the full demo period fails exactly the controls that reuse a planted exception rule, and verifies', async () => {
    for (const framework of FRAMEWORKS) {
      const pack = await buildEvidencePack(demo, request(framework), { template: template(framework) });
      const expected = [...new Set(scenario.planted.flatMap((p) => controlsReusing(template(framework), p.rule)))];
      expect(notSatisfied(pack.controls).sort()).toEqual(expected.sort());
      const verification = verifyEvidencePack(pack.zip, trust);
      expect(verification.failures).toEqual([]);
      expect(verification.ok).toBe(true);
      expect({ framework, oscal: oscalErrors(pack.zip) }).toEqual({ framework, oscal: [] });
    }
  });

  it('a scoped pack counts only the changes of the repositories in scope', async () => {
    const pack = await buildEvidencePack(demo, request('soc2', { repositories: ['github.com/acme/pay'] }), { template: template('soc2') });
    const changeExceptions = pack.controls.controls.flatMap((c) => c.exceptions).filter((x) => x.changeId !== undefined);
    expect(changeExceptions.length).toBeGreaterThan(0);
    expect(changeExceptions.every((x) => x.changeId?.startsWith('github.com/acme/pay#'))).toBe(true);
    expect(verifyEvidencePack(pack.zip, trust).failures).toEqual([]);
  });

  it('rebuilding a pack from the same log and checkpoint gives the same bytes', async () => {
    const a = await buildEvidencePack(demo, request('soc2'), { template: template('soc2') });
    const b = await buildEvidencePack(demo, request('soc2'), { template: template('soc2') });
    expect(Buffer.compare(a.zip, b.zip)).toBe(0);
  });

  describe('tampering', () => {
    let zip: Buffer;
    beforeAll(async () => {
      zip = (await buildEvidencePack(demo, request('soc2'), { template: template('soc2') })).zip;
    });
    const failuresAfter = (file: string, edit: (b: Uint8Array) => Uint8Array) =>
      verifyEvidencePack(tamper(zip, file, edit), trust).failures;

    it('a flipped byte in report.pdf is named', () => {
      expect(failuresAfter(PACK_FILES.report, flipByte(2000))).toEqual([
        `report.pdf: its SHA-256 differs from the one manifest.json lists`,
      ]);
    });
    it('an altered event names the file, the line and the sequence', () => {
      const line = packFile(zip, PACK_FILES.events).split('\n')[41];
      const failures = failuresAfter(PACK_FILES.events, replaceText(line, line.replace('"specversion":"1.0"', '"specversion":"1.1"')));
      expect(failures).toContain('events.jsonl: its SHA-256 differs from the one manifest.json lists');
      expect(failures).toContain('events.jsonl line 42 (sequence 41): the entry bytes do not hash to line 42 of proofs/leaf-hashes.txt');
    });
    it('an altered leaf hash in the proofs names the entry it no longer proves', () => {
      const hashes = packFile(zip, PACK_FILES.leafHashes).split('\n');
      const bad = hashes[7].startsWith('A') ? `B${hashes[7].slice(1)}` : `A${hashes[7].slice(1)}`;
      const failures = failuresAfter(PACK_FILES.leafHashes, replaceText(hashes[7], bad));
      expect(failures).toContain('proofs/leaf-hashes.txt: its SHA-256 differs from the one manifest.json lists');
      expect(failures).toContain('events.jsonl line 8 (sequence 7): the entry bytes do not hash to line 8 of proofs/leaf-hashes.txt');
    });
    it('an altered manifest fails the signed statement', () => {
      const failures = failuresAfter(PACK_FILES.manifest, replaceText('"tenant":"acme"', '"tenant":"acmf"'));
      expect(failures[0]).toBe('manifest.json: its SHA-256 differs from the one the signed statement (manifest.sigstore.json) names');
    });
    it('an altered Sigstore bundle fails its signature', () => {
      const bundle = packFile(zip, PACK_FILES.bundle);
      const sig = (JSON.parse(bundle) as { dsseEnvelope: { signatures: { sig: string }[] } }).dsseEnvelope.signatures[0].sig;
      const bad = sig.startsWith('A') ? `B${sig.slice(1)}` : `A${sig.slice(1)}`;
      const failures = failuresAfter(PACK_FILES.bundle, replaceText(sig, bad));
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatch(/^manifest\.sigstore\.json: /);
    });
    it('an altered verdict in controls.json names the control', () => {
      const failures = failuresAfter(PACK_FILES.controls, replaceText('"status":"not-satisfied"', '"status":"satisfied"'));
      expect(failures).toContain('controls.json: its SHA-256 differs from the one manifest.json lists');
      expect(failures.find((f) => f.startsWith('controls.json: control'))).toMatch(
        /^controls\.json: control CC8\.1 differs from the re-evaluation/,
      );
    });
    it('a controls.json of an earlier format is named, not re-evaluated', () => {
      const failures = failuresAfter(PACK_FILES.controls, replaceText('"evidence-ledger/controls/v3"', '"evidence-ledger/controls/v2"'));
      expect(failures).toContain(
        'controls.json: cannot be re-evaluated: its format is evidence-ledger/controls/v2; this verifier re-evaluates evidence-ledger/controls/v3 (verify an older pack with the ledger version that built it)',
      );
    });
    it('a pack checked with another key fails', () => {
      const other = trustOf(LocalKeySigner.generate('ledger.test'));
      const failures = verifyEvidencePack(zip, other).failures;
      expect(failures.some((f) => f.startsWith('manifest.sigstore.json: '))).toBe(true);
      expect(failures.some((f) => f.startsWith('checkpoint: '))).toBe(true);
    });
  });

  describe('an empty period', () => {
    const before = { from: '2026-09-01T00:00:00.000Z', to: '2026-09-02T00:00:00.000Z' };

    it('satisfies nothing in any framework, and the verifier re-evaluates the same not-tested verdicts', async () => {
      for (const framework of FRAMEWORKS) {
        const pack = await buildEvidencePack(demo, request(framework, before), {
          template: template(framework),
          retention: { days: 3650, locked: true, archive: 's3' },
        });
        const c = pack.controls;
        expect({ framework, entries: c.subject.entries, population: c.population.entries }).toEqual({
          framework,
          entries: { start: 0, end: 0 },
          population: 0,
        });
        expect({ framework, satisfied: c.controls.filter((x) => x.status === 'satisfied').map((x) => x.id) }).toEqual({
          framework,
          satisfied: [],
        });
        for (const x of c.controls.filter((y) => y.tests.length > 0)) {
          expect(x.status).toBe('not-tested');
          expect(x.reason).toMatch(/^[a-z-]+: /);
        }
        const v = verifyEvidencePack(pack.zip, trust);
        expect(v.failures).toEqual([]);
        expect(v.controls?.summary).toEqual(c.summary);
        // Nothing sampled and nothing in any population: no line claims a sample or a row matched.
        expect(v.passed.filter((line) => /samples re-drawn|rows match/.test(line))).toEqual([]);
        expect(v.passed.filter((line) => /population CSVs/.test(line))).toEqual([
          expect.stringMatching(
            /^\d+ population CSVs: each holds only its header row, as the empty populations re-evaluated from the events require$/,
          ),
        ]);
        expect({ framework, oscal: oscalErrors(pack.zip) }).toEqual({ framework, oscal: [] });
      }
      const soc2 = await buildEvidencePack(demo, request('soc2', before), { template: template('soc2') });
      expect(soc2.controls.controls.find((x) => x.id === 'CC7.2')).toMatchObject({
        status: 'not-tested',
        populationSize: 0,
        reason: 'log-integrity-verified: no log entries recorded in the period',
      });
    });

    it('the report says the pack is empty, dates the checkpoint by its own last entry and counts the population in numbers', async () => {
      const pack = await buildEvidencePack(demo, request('soc2', before), { template: template('soc2') });
      const runs = pdfTextRuns(unzipSync(pack.zip)[PACK_FILES.report]);
      const text = runs.join('\n');
      expect(text).toContain("0 entries recorded (by the ledger's clock) in the period; the pack carries no");
      expect(text).not.toMatch(/to -1|LEDGER STATE AS OF|Ledger state as of/i);
      const size = scenario.events.length;
      const lastRecorded = (JSON.parse(String((await demo.entry('acme', size - 1))?.canonical)) as { recordedAt: string }).recordedAt;
      expect(text).toContain(`#${size} (its last entry recorded ${lastRecorded}; ${size}`);
      expect(text).toContain('not locked: the pack was built outside an archive that enforces retention');
      expect(text).not.toMatch(/merges; merges/);
      // The summary table: each control's result, then its population as a number ('-' when it has no test).
      const summary = runs.slice(runs.indexOf('Summary of results'));
      const labels = ['Not applicable', 'Not tested', 'Satisfied', 'Not satisfied'];
      for (const c of pack.controls.controls) {
        const status = summary.findIndex((r, i) => i > summary.indexOf(c.id) && labels.includes(r));
        expect({ id: c.id, row: summary.slice(status, status + 3) }).toEqual({
          id: c.id,
          row: c.tests.length === 0 ? ['Not applicable', '-', '0'] : ['Not tested', '0', '0'],
        });
      }
    });

    it('the cover states a period that does not start or end at midnight to the minute, not as whole days', async () => {
      const odd = { from: '2026-09-01T06:15:00.000Z', to: '2026-09-02T01:30:00.000Z' };
      const text = pdfTextRuns(
        unzipSync((await buildEvidencePack(demo, request('soc2', odd), { template: template('soc2') })).zip)[PACK_FILES.report],
      ).join('\n');
      expect(text).toContain('2026-09-01 06:15 UTC to 2026-09-02 01:30 UTC (exclusive)');
      const whole = pdfTextRuns(
        unzipSync((await buildEvidencePack(demo, request('soc2', before), { template: template('soc2') })).zip)[PACK_FILES.report],
      ).join('\n');
      expect(whole).toContain('2026-09-01 to 2026-09-02 (exclusive)');
    });

    it('a pack claiming satisfied where nothing was tested fails verification, naming the control', async () => {
      const pack = await buildEvidencePack(demo, request('soc2', before), { template: template('soc2') });
      const failures = verifyEvidencePack(
        tamper(pack.zip, PACK_FILES.controls, replaceText('"status":"not-tested"', '"status":"satisfied"')),
        trust,
      ).failures;
      expect(failures.find((f) => f.startsWith('controls.json: control'))).toMatch(
        /^controls\.json: control \S+ differs from the re-evaluation \(claimed satisfied with 0 exceptions; recomputed not-tested with 0\)/,
      );
    });
  });

  describe('retention', () => {
    it('is claimed only for a locked pack, and a lock claimed for a directory archive fails verification', async () => {
      const locked = await buildEvidencePack(demo, request('hipaa'), {
        template: template('hipaa'),
        retention: { days: 2190, locked: true, archive: 's3' },
      });
      const retention = (r: ControlsReport) => r.controls.find((c) => c.id === '164.316(b)(2)');
      expect(retention(locked.controls)?.status).toBe('satisfied');
      expect(verifyEvidencePack(locked.zip, trust).failures).toEqual([]);

      const disk = await buildEvidencePack(demo, request('hipaa'), {
        template: template('hipaa'),
        retention: { days: 2190, locked: false, archive: 'disk' },
      });
      expect(retention(disk.controls)).toMatchObject({
        status: 'not-tested',
        reason: 'retention-met: the pack is not locked: the archive is a directory, which does not enforce retention',
      });
      expect(verifyEvidencePack(disk.zip, trust).failures).toEqual([]);
      const unarchived = await buildEvidencePack(demo, request('hipaa'), { template: template('hipaa') });
      expect(unarchived.controls.inputs.retention).toEqual({ days: 2192, locked: false, archive: 'none' });
      expect(retention(unarchived.controls)?.status).toBe('not-tested');

      const forged = tamper(disk.zip, PACK_FILES.controls, (bytes) => {
        const report = JSON.parse(Buffer.from(bytes).toString('utf8')) as ControlsReport;
        const claim = {
          ...report,
          inputs: { ...report.inputs, retention: { days: 2190, locked: true, archive: 'disk' } },
          controls: report.controls.map((c) => (c.id === '164.316(b)(2)' ? { ...c, status: 'satisfied', reason: undefined } : c)),
        };
        return Buffer.from(JSON.stringify(claim));
      });
      expect(verifyEvidencePack(forged, trust).failures.some((f) => f.startsWith('controls.json: control 164.316(b)(2) differs'))).toBe(
        true,
      );
      const lockOnly = tamper(disk.zip, PACK_FILES.controls, (bytes) => {
        const report = JSON.parse(Buffer.from(bytes).toString('utf8')) as ControlsReport;
        return Buffer.from(
          JSON.stringify({ ...report, inputs: { ...report.inputs, retention: { days: 2190, locked: true, archive: 'disk' } } }),
        );
      });
      expect(verifyEvidencePack(lockOnly, trust).failures).toContain(
        'controls.json: its inputs differ from the re-evaluation (log integrity, or a retention lock claimed for an archive that does not enforce one)',
      );
    });
  });

  describe('late evidence', () => {
    it("is flagged from both clocks by the template's threshold, shown at exceptions and timelines, and re-derived by the verifier", async () => {
      // Events that happened days before the ledger recorded them (a backfill), plus the planted exceptions.
      const backfilled = scenario.events.map((e, i) => (i % 3 === 0 ? { ...e, time: '2026-09-25T12:00:00Z' } : e));
      const ledger = await seededLedger(backfilled);
      const pack = await buildEvidencePack(ledger, request('soc2'), { template: template('soc2') });
      const late = pack.controls.lateEvidence;
      expect(late.thresholdHours).toBe(24);
      expect(late.entries.length).toBe(Math.ceil(backfilled.length / 3) - 0);
      expect(late.entries[0]).toMatchObject({ sequence: 0, time: '2026-09-25T12:00:00Z' });
      expect(late.entries.every((e) => e.sequence % 3 === 0 && e.recordedAt > e.time)).toBe(true);
      const exceptions = pack.controls.controls.flatMap((c) => c.exceptions).filter((x) => x.sequence >= 0);
      expect(exceptions.length).toBeGreaterThan(0);
      for (const x of exceptions) {
        expect(x.recordedAt).toBeDefined();
        expect(x.late === true).toBe(x.sequence % 3 === 0);
      }
      expect(pack.controls.summary.lateEntries).toBe(late.entries.length);
      const runs = pdfTextRuns(unzipSync(pack.zip)[PACK_FILES.report]);
      expect(runs).toContain('Late evidence');
      expect(runs.some((r) => r === 'LATE EVIDENCE')).toBe(true);
      expect(runs.join('\n')).toContain(`${late.entries.length} entries recorded more than 24 h after they happened`);
      expect(verifyEvidencePack(pack.zip, trust).failures).toEqual([]);
      expect(oscalErrors(pack.zip)).toEqual([]);

      // A template with a longer threshold flags none of them; hiding them in controls.json fails verification.
      const lenient = await buildEvidencePack(ledger, request('soc2'), {
        template: { ...template('soc2'), lateEvidence: { thresholdHours: 24 * 30 } },
      });
      expect(lenient.controls.lateEvidence.entries).toEqual([]);
      expect(verifyEvidencePack(lenient.zip, trust).failures).toEqual([]);
      const hidden = tamper(pack.zip, PACK_FILES.controls, (bytes) => {
        const report = JSON.parse(Buffer.from(bytes).toString('utf8')) as ControlsReport;
        return Buffer.from(JSON.stringify({ ...report, lateEvidence: { ...report.lateEvidence, entries: [] } }));
      });
      expect(verifyEvidencePack(hidden, trust).failures).toContain(
        `controls.json: its late evidence differs from the re-evaluation (claimed 0 late entries; recomputed ${late.entries.length})`,
      );
    });
  });

  describe('a period that ends before the log does', () => {
    it('proves its entries by consistency to the later checkpoint, and an altered proof hash is named', async () => {
      const to = (JSON.parse(String((await demo.entry('acme', 100))?.canonical)) as { recordedAt: string }).recordedAt;
      const pack = await buildEvidencePack(demo, request('soc2', { to }), { template: template('soc2') });
      expect(pack.manifest.entries.end).toBeLessThan(pack.manifest.checkpoint.treeSize);
      expect(verifyEvidencePack(pack.zip, trust).failures).toEqual([]);
      const range = JSON.parse(packFile(pack.zip, PACK_FILES.range)) as { consistency: string[] };
      const h = range.consistency[0];
      const failures = verifyEvidencePack(
        tamper(pack.zip, PACK_FILES.range, replaceText(h, h.startsWith('A') ? `B${h.slice(1)}` : `A${h.slice(1)}`)),
        trust,
      ).failures;
      expect(failures).toContain('proofs/range.json: its SHA-256 differs from the one manifest.json lists');
      expect(
        failures.some((f) => f.startsWith(`proofs/range.json: the ${pack.manifest.entries.end} entries do not lead to the signed root`)),
      ).toBe(true);
    });
  });

  describe("management's responses", () => {
    // The demo's log, then — once the period is over — the response management records after it.
    let pack: Awaited<ReturnType<typeof buildEvidencePack>>;
    const responded = () => pack.controls.controls.flatMap((c) => c.exceptions).filter((x) => x.managementResponse !== undefined);
    const named = (e: Record<string, unknown>) => (e.data as { exception: { eventId: string; rule: string } }).exception;
    beforeAll(async () => {
      const ledger = await seededLedger(scenario.events);
      const last = (await ledger.entry('acme', scenario.events.length - 1))?.canonical;
      const to = new Date(Date.parse((JSON.parse(String(last)) as { recordedAt: string }).recordedAt) + 500).toISOString();
      await appendAll(ledger, 'acme', [...scenario.responses.afterPeriod]);
      pack = await buildEvidencePack(ledger, request('soc2', { to }), { template: template('soc2') });
    });

    it('show on the exceptions they answer, with the entry, both clocks and whether they came after the period', () => {
      const [during, unmatched] = scenario.responses.inPeriod;
      const [after] = scenario.responses.afterPeriod;
      const byRule = (rule: string) => responded().filter((x) => x.rule === rule);
      expect(byRule('merged-with-failing-scan').map((x) => x.managementResponse)).not.toHaveLength(0);
      for (const x of byRule('merged-with-failing-scan'))
        expect(x.managementResponse).toMatchObject({ status: 'in-progress', eventId: during.id, recordedAfterPeriodEnd: false });
      expect(byRule('model-not-allowed').length).toBeGreaterThan(0);
      for (const x of byRule('model-not-allowed'))
        expect(x.managementResponse).toMatchObject({ status: 'remediated', eventId: after.id, recordedAfterPeriodEnd: true });
      expect(new Set(responded().map((x) => x.managementResponse?.eventId))).toEqual(new Set([during.id, after.id]));
      expect(responded().some((x) => x.managementResponse?.eventId === unmatched.id)).toBe(false);
      expect(named(after).rule).toBe('model-not-allowed');
    });

    it('carry the response recorded after the period with its inclusion proof; the pack verifies and its OSCAL validates', () => {
      const late = packFile(pack.zip, PACK_FILES.responsesAfterPeriod).split('\n').filter(Boolean);
      expect(late.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual([scenario.responses.afterPeriod[0].id]);
      expect(pack.manifest.files[PACK_FILES.responseProofs]).toBeDefined();
      expect(verifyEvidencePack(pack.zip, trust).failures).toEqual([]);
      expect(oscalErrors(pack.zip)).toEqual([]);
      const result = (JSON.parse(packFile(pack.zip, PACK_FILES.oscal)) as { 'assessment-results': { results: { risks: unknown[] }[] } })[
        'assessment-results'
      ].results[0];
      expect(result.risks.length).toBe(new Set(responded().map((x) => `${x.sequence} ${x.rule}`)).size);
      const text = pdfTextRuns(unzipSync(pack.zip)[PACK_FILES.report]).join(' ');
      expect(text).toContain('Management response to entry');
      expect(text).toMatch(/after\s+the\s+period\s+ended/);
      expect(text).toMatch(/before\s+the\s+period\s+ended/);
    });

    it('a tampered response in controls.json, or in the entry carried after the period, fails verification', () => {
      const controls = packFile(pack.zip, PACK_FILES.controls);
      const claimed = tamper(pack.zip, PACK_FILES.controls, replaceText('"status":"remediated"', '"status":"risk-accepted"'));
      expect(controls).toContain('"status":"remediated"');
      expect(verifyEvidencePack(claimed, trust).failures.some((f) => f.startsWith('controls.json:'))).toBe(true);
      const entry = tamper(pack.zip, PACK_FILES.responsesAfterPeriod, replaceText('A preview model version', 'A preview-model version'));
      const failures = verifyEvidencePack(entry, trust).failures;
      expect(failures).toContain(`${PACK_FILES.responsesAfterPeriod}: its SHA-256 differs from the one manifest.json lists`);
      expect(failures.some((f) => f.includes('its inclusion proof does not lead to the signed root'))).toBe(true);
    });
  });

  describe('consistency with the previous pack', () => {
    it('a later pack proves it extends the previous one', async () => {
      const ledger = await seededLedger(scenario.events.slice(0, 200));
      const first = await buildEvidencePack(ledger, request('hipaa'), { template: template('hipaa') });
      await appendAll(ledger, 'acme', scenario.events.slice(200));
      const second = await buildEvidencePack(ledger, request('hipaa'), {
        template: template('hipaa'),
        previous: first.manifest.checkpoint,
      });
      const v = verifyEvidencePack(second.zip, trust, first.zip);
      expect(v.failures).toEqual([]);
      expect(v.passed.some((p) => p.startsWith('--previous: '))).toBe(true);
    });
    it('a pack from a forked log fails against the previous pack', async () => {
      const original = await seededLedger(scenario.events.slice(0, 200));
      const previous = await buildEvidencePack(original, request('hipaa'), { template: template('hipaa') });
      const forkedEvents = [...scenario.events.slice(0, 100), ...scenario.events.slice(101, 201), ...scenario.events.slice(201)];
      const forked = await seededLedger(forkedEvents);
      const later = await buildEvidencePack(forked, request('hipaa'), { template: template('hipaa') });
      const failures = verifyEvidencePack(later.zip, trust, previous.zip).failures;
      expect(failures).toEqual([
        `--previous: the previous pack's tree #${previous.manifest.checkpoint.treeSize} is not a prefix of this pack's log: the logs have forked or been rewritten`,
      ]);
    });
  });
});

describe('planted exceptions, one at a time', () => {
  for (const planted of scenario.planted) {
    it(`${planted.rule} fails exactly the controls that reuse its rule`, () => {
      const entries = asEntries(withPlanted(scenario, planted.rule));
      for (const framework of FRAMEWORKS) {
        const fold = new PopulationFold({ ...PERIOD, repositories: [] });
        for (const e of entries) fold.add(e, leafHash(Buffer.from(e.id)));
        const report = evaluateControls(
          template(framework),
          fold.facts(),
          {
            tenant: 'acme',
            period: PERIOD,
            scope: { repositories: [] },
            checkpoint: { origin: 'ledger.test/acme', treeSize: entries.length, rootHash: Buffer.alloc(32).toString('base64') },
            entries: { start: 0, end: entries.length },
          },
          {
            logIntegrity: { verified: true, entries: entries.length },
            retention: { days: template(framework).retention.days, locked: true, archive: 's3' },
          },
        );
        expect({ framework, failing: notSatisfied(report).sort() }).toEqual({
          framework,
          failing: controlsReusing(template(framework), planted.rule).sort(),
        });
      }
    });
  }
});
