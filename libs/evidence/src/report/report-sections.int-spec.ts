import { unzipSync } from 'fflate';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { ControlsReport, EvidenceTemplate } from '@evidence-ledger/core';
import { demoScenario, forensicEvents as ev } from '@evidence-ledger/samples';
import { Ledger } from '@evidence-ledger/ledger';
import { PACK_FILES, verifyEvidencePack } from '@evidence-ledger/verify';
import { sqliteHandle, StoreHandle } from '../../../ledger/src/testing/ledger-fixture';
import { TemplateCatalog } from '../templates/template-catalog';
import { buildEvidencePack } from '../pack/pack-builder';
import { spkiSha256 } from '../pack/pack-signing';
import { appendAll, ledgerWithClock, pdfTextRuns, trustOf } from '../testing/pack-fixtures';

// The report laid out as auditors work, read back from the PDF's own text: every section of
// every framework is there, in order, with what it must say.
const FRAMEWORKS = ['soc2', 'iso27001', 'hipaa', 'eu-ai-act'];
const PERIOD = { from: '2026-10-01T00:00:00.000Z', to: '2026-10-02T00:00:00.000Z' };
const catalog = TemplateCatalog.load();
const signer = LocalKeySigner.generate('ledger.test');
const template = (framework: string): EvidenceTemplate => catalog.get(framework) as EvidenceTemplate;

const handles: StoreHandle[] = [];
async function ledgerOf(events: Record<string, unknown>[]): Promise<Ledger> {
  const handle = sqliteHandle();
  handles.push(handle);
  const ledger = ledgerWithClock(await handle.open(), signer);
  await appendAll(ledger, 'acme', events);
  return ledger;
}
afterAll(async () => {
  for (const h of handles) await h.cleanup();
});

async function reportOf(
  ledger: Ledger,
  framework: string,
): Promise<{ text: string; runs: string[]; controls: ControlsReport; zip: Buffer }> {
  const pack = await buildEvidencePack(
    ledger,
    { tenant: 'acme', framework, ...PERIOD, repositories: [] },
    { template: template(framework) },
  );
  const runs = pdfTextRuns(unzipSync(pack.zip)[PACK_FILES.report]);
  return { text: runs.join('\n'), runs, controls: pack.controls, zip: pack.zip };
}

// Where a run first appears at or after `from` (-1 when it does not).
const at = (runs: readonly string[], run: string, from = 0) => runs.findIndex((r, i) => i >= from && r === run);
const FOOTER = /^Page \d+ of \d+$/;
// Where a section starts: its heading is the first run of a page (the one after the previous page's footer).
const section = (runs: readonly string[], heading: string) => runs.findIndex((r, i) => r === heading && i > 0 && FOOTER.test(runs[i - 1]));

describe('report.pdf sections', () => {
  let demo: Ledger;
  beforeAll(async () => {
    demo = await ledgerOf(demoScenario().events);
  });

  for (const framework of FRAMEWORKS)
    it(`${framework}: cover, assertion, system description, every control's workpaper, the framework's sections and how to verify, in order`, async () => {
      const { text, runs, controls } = await reportOf(demo, framework);
      const t = template(framework);
      // Sections, in the order auditors read them (each heading once, after the contents page).
      const sections = [
        "Management's assertion",
        'System description and boundaries',
        'Scope and method',
        'Summary of results',
        'Control-by-control results',
        ...(framework === 'iso27001' ? ['Statement of Applicability'] : []),
        ...(framework === 'eu-ai-act' ? ['Technical documentation index', 'Art. 12 and Art. 19 logging'] : []),
        ...(framework === 'hipaa' ? ['§164.316(b)(2) documentation retention'] : []),
        'Exceptions',
        'Late evidence',
        'Sampled change timelines',
        'How to verify this pack',
      ];
      const positions = sections.map((s) => section(runs, s));
      expect({ framework, missing: sections.filter((_, i) => positions[i] < 0) }).toEqual({ framework, missing: [] });
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);

      // The cover: issue date (the ledger time the pack was built as of), preparer, edition.
      for (const label of ['ISSUE DATE', 'PREPARED BY', 'FRAMEWORK']) expect(runs).toContain(label);
      expect(text).toContain('Evidence Ledger service, for tenant acme');
      expect(text).toContain(t.version);

      // Management's assertion: the template's wording, placeholders filled.
      expect(controls.description.assertion.source).toBe('template');
      expect(text).toContain('Management of acme');
      expect(text).not.toMatch(/\{(tenant|period|system)\}/);

      // The system and its boundaries, from the AI inventory of the period.
      for (const label of ['REPOSITORIES IN SCOPE', 'REPOSITORIES SEEN', 'SERVICES SEEN', 'AI AGENTS SEEN']) expect(runs).toContain(label);
      expect(runs).toContain('Subservice organisations: AI model providers');
      for (const p of controls.description.boundaries.modelProviders) expect(runs).toContain(p.provider);
      expect(controls.description.boundaries.modelProviders.map((p) => p.provider)).toEqual(['anthropic', 'openai']);
      expect(runs).toContain('Complementary user-entity controls');
      expect(text).toContain('github-actions');
      expect(text).toContain('agent-codegen-7');

      // The sample-size table, by frequency.
      expect(runs.slice(at(runs, 'Control frequency'), at(runs, 'Control frequency') + 16)).toEqual([
        'Control frequency',
        'Sample size',
        'annual',
        '1',
        'quarterly',
        '2',
        'monthly',
        '2',
        'weekly',
        '5',
        'daily',
        '25',
        'multiple times per day',
        '25',
        'per event',
        '25',
      ]);

      // Every control: owner, frequency, operation, test performed, population, sample,
      // exceptions, management response and the conclusion with its reason.
      const start = positions[sections.indexOf('Control-by-control results')];
      const end = positions[sections.indexOf('Control-by-control results') + 1];
      const workpapers = runs.slice(start, end);
      const labels = ['OWNER', 'FREQUENCY', 'OPERATION', 'TEST PERFORMED', 'POPULATION', 'SAMPLE', 'MANAGEMENT RESPONSE', 'CONCLUSION'];
      for (const label of labels)
        expect({ label, n: workpapers.filter((r) => r === label).length }).toEqual({ label, n: t.controls.length });
      // The management response: none needed without exceptions, none recorded when no exception
      // was answered, and how many were answered otherwise.
      const answered = (c: (typeof controls.controls)[number]) => c.exceptions.some((x) => x.managementResponse !== undefined);
      expect(workpapers.filter((r) => r === 'none needed: no exception').length).toBe(
        controls.controls.filter((c) => c.exceptions.length === 0).length,
      );
      expect(workpapers.filter((r) => r === 'none recorded').length).toBe(
        controls.controls.filter((c) => c.exceptions.length > 0 && !answered(c)).length,
      );
      expect(workpapers.filter((r) => /^\d+ of \d+ exceptions answered: /.test(r)).length).toBe(controls.controls.filter(answered).length);
      for (const c of t.controls) expect(workpapers.join('\n')).toContain(c.owner as string);
      for (const c of controls.controls.filter((x) => x.status === 'not-applicable'))
        expect(workpapers.join(' ')).toContain(`Not applicable: ${(c.reason as string).slice(0, 40)}`);

      // How to verify: the fingerprint, where to get the key, the standalone verifier's command.
      const verify = runs.slice(positions[positions.length - 1]).join('\n');
      expect(verify).toContain(spkiSha256(signer.publicKey));
      expect(verify).toContain('GET /v1/public-keys');
      expect(verify).toContain('npx -p @evidence-ledger/verify evidence-ledger-verify pack pack.zip --public-key ledger.pem');

      // Page numbers on every page but the cover.
      const pages = runs.filter((r) => FOOTER.test(r));
      const total = Number(/of (\d+)$/.exec(pages[0])?.[1]);
      expect(pages).toEqual(Array.from({ length: total - 1 }, (_, i) => `Page ${i + 2} of ${total}`));
    });

  it('iso27001: the Statement of Applicability lists all 93 Annex A controls with applicability and the pack controls evidencing them', async () => {
    const { runs } = await reportOf(demo, 'iso27001');
    const soa = runs.slice(section(runs, 'Statement of Applicability'), section(runs, 'Exceptions'));
    const ids = (template('iso27001').statementOfApplicability ?? []).map((s) => s.id);
    expect(ids).toHaveLength(93);
    for (const id of ids) expect({ id, listed: soa.includes(id) }).toEqual({ id, listed: true });
    expect(soa).toContain('A.8.32: not satisfied');
  });

  it('eu-ai-act and hipaa: the Annex IV index and the retention facts, never claiming retention nothing enforces', async () => {
    const eu = (await reportOf(demo, 'eu-ai-act')).text;
    expect(eu).toContain('not evidenced by the ledger');
    expect(eu).toContain('Nothing enforces the 183-day retention for this pack');
    const hipaa = await reportOf(demo, 'hipaa');
    expect(hipaa.text).toContain('Nothing enforces the 2190-day retention for this pack');
    expect(hipaa.controls.recordKeeping).toMatchObject({ minimumDays: 2190, enforced: false });
  });

  it("prints the tenant's own assertion from its governance settings; the verifier re-derives it", async () => {
    const wording = 'Management of {tenant} asserts, in its own words, that {system} was governed throughout {period}.';
    const events = demoScenario().events;
    const ledger = await ledgerOf([...events, ev.settings({}, { assertion: wording })]);
    const { text, controls, zip } = await reportOf(ledger, 'soc2');
    expect(controls.description.assertion).toMatchObject({ source: 'settings', sequence: events.length });
    expect(text).toContain('Management of acme asserts, in its own words');
    expect(text).toContain(`The tenant's own wording, from its governance settings (entry ${events.length}`);
    expect(verifyEvidencePack(zip, trustOf(signer)).failures).toEqual([]);
  });
});
