import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { ControlsReport, evaluateControls, EvidenceTemplate, rulesReusedBy } from '@evidence-ledger/evidence';
import { sqliteHandle, StoreHandle } from '../testing/ledger-fixture';
import { asEntries } from '../testing/projected-entries';
import { demoScenario } from '../samples/demo-scenario';
import { TemplateCatalog } from './template-catalog';
import { Ledger } from '../ledger';
import { buildEvidencePack, PackRequest } from './pack-builder';
import { PACK_FILES } from './pack-format';
import { verifyEvidencePack } from './pack-verifier';
import { PopulationFold } from './population-fold';
import {
  appendAll,
  cleanEvents,
  flipByte,
  ledgerWithClock,
  packFile,
  replaceText,
  tamper,
  trustOf,
  withPlanted,
} from './testing/pack-fixtures';

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
    it('a pack checked with another key fails', () => {
      const other = trustOf(LocalKeySigner.generate('ledger.test'));
      const failures = verifyEvidencePack(zip, other).failures;
      expect(failures.some((f) => f.startsWith('manifest.sigstore.json: '))).toBe(true);
      expect(failures.some((f) => f.startsWith('checkpoint: '))).toBe(true);
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
        for (const e of entries) fold.add(e);
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
          { logIntegrity: { verified: true, entries: entries.length }, retentionDays: template(framework).retention.days },
        );
        expect({ framework, failing: notSatisfied(report).sort() }).toEqual({
          framework,
          failing: controlsReusing(template(framework), planted.rule).sort(),
        });
      }
    });
  }
});
