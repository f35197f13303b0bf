import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addPeriod, FRAMEWORK_RETENTION, RetentionPeriod } from '@evidence-ledger/archive';
import { CATALOG_EVENT_TYPES, GOVERNANCE_SETTINGS_TYPE, LEDGER_EVENT_TYPES } from '@evidence-ledger/core';
import { BUILT_IN_TEMPLATES_DIR, TemplateCatalog } from './template-catalog';

// The control coverage every built-in template must reach (docs/design.md, "Evidence packs").
const COVERAGE: Record<string, string[]> = {
  soc2: ['CC8.1', 'CC6.1', 'CC6.2', 'CC6.3', 'CC6.8', 'CC7.1', 'CC7.2', 'CC7.3', 'CC7.4', 'CC3.4', 'CC4.1', 'CC9.2'],
  iso27001: [
    'A.5.3',
    'A.5.15',
    'A.5.16',
    'A.5.17',
    'A.5.18',
    'A.5.28',
    'A.5.33',
    'A.8.2',
    'A.8.4',
    'A.8.8',
    'A.8.15',
    'A.8.16',
    'A.8.24',
    'A.8.25',
    'A.8.26',
    'A.8.27',
    'A.8.28',
    'A.8.29',
    'A.8.32',
  ],
  hipaa: ['164.312(b)', '164.312(c)(1)', '164.312(c)(2)', '164.312(a)(2)(i)', '164.312(d)', '164.308(a)(1)(ii)(D)', '164.316(b)(2)'],
  'eu-ai-act': ['Art. 12', 'Art. 14', 'Art. 19(1)', 'Art. 26(6)', 'Art. 11 + Annex IV', 'Art. 72', 'Art. 73'],
};

describe('the template catalog', () => {
  const catalog = TemplateCatalog.load();

  it('ships the four frameworks, each covering its control list', () => {
    expect(catalog.frameworks()).toEqual(['eu-ai-act', 'hipaa', 'iso27001', 'soc2']);
    for (const [framework, ids] of Object.entries(COVERAGE)) expect(catalog.get(framework)?.controls.map((c) => c.id)).toEqual(ids);
  });

  it('never leaves a control without a test or a stated reason', () => {
    for (const f of catalog.frameworks())
      for (const c of catalog.get(f)?.controls ?? []) expect(c.tests.length > 0 || (c.notApplicable ?? '').length > 20).toBe(true);
  });

  it('states how every control operates, the assertion and the complementary user-entity controls of every framework', () => {
    for (const f of catalog.frameworks()) {
      const t = catalog.get(f);
      expect({ f, assertion: t?.assertion?.includes('{tenant}') && t.assertion.includes('{period}') }).toEqual({ f, assertion: true });
      expect((t?.complementaryUserEntityControls ?? []).length).toBeGreaterThan(0);
      for (const c of t?.controls ?? [])
        expect({ f, id: c.id, owner: !!c.owner, frequency: !!c.frequency, automation: !!c.automation, test: !!c.testPerformed }).toEqual({
          f,
          id: c.id,
          owner: true,
          frequency: true,
          automation: true,
          test: true,
        });
    }
  });

  it('carries a Statement of Applicability of all 93 Annex A controls of ISO/IEC 27001:2022', () => {
    const soa = catalog.get('iso27001')?.statementOfApplicability ?? [];
    const range = (theme: number, n: number) => Array.from({ length: n }, (_, i) => `A.${theme}.${i + 1}`);
    expect(soa.map((s) => s.id)).toEqual([...range(5, 37), ...range(6, 8), ...range(7, 14), ...range(8, 34)]);
    expect(soa.find((s) => s.id === 'A.8.32')).toMatchObject({ title: 'Change management', applicable: true, controls: ['A.8.32'] });
    // Every control of the template evidences the Annex A control of its own id.
    for (const c of catalog.get('iso27001')?.controls ?? []) expect(soa.find((s) => s.id === c.id)?.controls).toContain(c.id);
  });

  it('indexes the AI Act Annex IV points 1 to 9 and states the record-keeping rules of HIPAA and the AI Act', () => {
    expect(catalog.get('eu-ai-act')?.documentationIndex?.map((p) => p.point)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(catalog.get('hipaa')?.recordKeeping?.minimumDays).toBe(2190);
    expect(catalog.get('eu-ai-act')?.recordKeeping?.minimumDays).toBe(183);
  });

  // A control must draw on evidence that exists: an event type nothing writes would be cited
  // as evidence the pack can never contain.
  it('cites only event types something writes, and the ledger evidence its tests read', () => {
    const written = new Set<string>([...CATALOG_EVENT_TYPES, ...Object.values(LEDGER_EVENT_TYPES), GOVERNANCE_SETTINGS_TYPE]);
    const cited: string[] = [];
    for (const f of catalog.frameworks())
      for (const c of catalog.get(f)?.controls ?? []) {
        for (const type of c.evidence.eventTypes) if (!written.has(type)) cited.push(`${f} ${c.id}: ${type}`);
        const ledger = c.evidence.ledger ?? [];
        if (c.tests.some((t) => t.kind === 'log-integrity-verified'))
          expect({ control: c.id, ledger }).toEqual({
            control: c.id,
            ledger: expect.arrayContaining(['signed-checkpoint', 'inclusion-proofs']),
          });
        if (c.tests.some((t) => t.kind === 'retention-met'))
          expect({ control: c.id, ledger }).toEqual({ control: c.id, ledger: expect.arrayContaining(['archive-lock']) });
      }
    expect(cited).toEqual([]);
  });

  // The longest a calendar period lasts (a year with its leap day, the longest run of months),
  // so a retention in days never falls short of the period on any start date.
  const longestDays = (period: RetentionPeriod): number => {
    let longest = 0;
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2028, 0, 1); t += 86_400_000)
      longest = Math.max(longest, Math.round((addPeriod(new Date(t), period).getTime() - t) / 86_400_000));
    return longest;
  };

  it("keeps each framework's packs exactly as long as the archive's retention table says for it", () => {
    expect(Object.keys(FRAMEWORK_RETENTION).sort()).toEqual(catalog.frameworks());
    for (const [framework, rule] of Object.entries(FRAMEWORK_RETENTION))
      expect({ framework, days: catalog.get(framework)?.retention.days }).toEqual({ framework, days: longestDays(rule.period) });
    expect(longestDays({ years: 1, months: 0, days: 0 })).toBe(366);
    expect(longestDays({ years: 0, months: 6, days: 0 })).toBe(184);
  });

  it('keeps HIPAA packs six years and tests it, and flags the AI Act as binding high-risk systems only', () => {
    const hipaa = catalog.get('hipaa');
    expect(hipaa?.retention.days).toBeGreaterThanOrEqual(2190);
    expect(hipaa?.controls.find((c) => c.id === '164.316(b)(2)')?.tests).toEqual([{ kind: 'retention-met', minimumDays: 2190 }]);
    expect(catalog.get('eu-ai-act')?.note).toMatch(/high-risk.*voluntary/s);
    const art26 = catalog.get('eu-ai-act')?.controls.find((c) => c.id === 'Art. 26(6)');
    expect(art26?.tests).toContainEqual({ kind: 'retention-met', minimumDays: 183 });
  });

  describe('a customer directory', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'templates-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('adds a framework with no code', () => {
      writeFileSync(
        join(dir, 'acme-ai.yaml'),
        [
          'framework: acme-ai',
          'title: ACME AI policy',
          'version: "2026.1"',
          'retention: { days: 400 }',
          'controls:',
          '  - id: AI-1',
          '    title: Human review of AI code',
          '    objective: Every AI-written change is approved by a human before merge.',
          '    evidence: { eventTypes: [review.decision.recorded] }',
          '    tests: [{ kind: human-oversight-at-checkpoints, checkpoints: [merge] }]',
        ].join('\n'),
      );
      const both = TemplateCatalog.standard(dir);
      expect(both.frameworks()).toEqual(['acme-ai', 'eu-ai-act', 'hipaa', 'iso27001', 'soc2']);
      expect(both.get('acme-ai')?.controls[0].tests).toEqual([{ kind: 'human-oversight-at-checkpoints', checkpoints: ['merge'] }]);
    });

    it('refuses a bad template, naming the file and the field', () => {
      writeFileSync(
        join(dir, 'bad.json'),
        JSON.stringify({
          framework: 'bad',
          title: 'B',
          version: '1',
          retention: { days: 30 },
          controls: [{ id: 'X', title: 'X', objective: 'X', evidence: { eventTypes: [] }, tests: [{ kind: 'magic' }] }],
        }),
      );
      expect(() => TemplateCatalog.load([BUILT_IN_TEMPLATES_DIR, dir])).toThrow(
        `${join(dir, 'bad.json')}: controls[0].tests[0].kind: unknown test kind magic`,
      );
    });

    it('refuses a second definition of a framework', () => {
      writeFileSync(
        join(dir, 'soc2.json'),
        JSON.stringify({
          framework: 'soc2',
          title: 'S',
          version: '1',
          retention: { days: 30 },
          controls: [{ id: 'X', title: 'X', objective: 'X', evidence: { eventTypes: [] }, notApplicable: 'n/a here' }],
        }),
      );
      expect(() => TemplateCatalog.load([BUILT_IN_TEMPLATES_DIR, dir])).toThrow(
        /soc2\.json: framework: framework soc2 is already defined by .*soc2\.yaml/,
      );
    });

    it('refuses a file that is not YAML', () => {
      writeFileSync(join(dir, 'broken.yaml'), 'framework: [unclosed');
      expect(() => TemplateCatalog.load([dir])).toThrow(/broken\.yaml: \(file\): not readable YAML\/JSON/);
    });
  });
});
