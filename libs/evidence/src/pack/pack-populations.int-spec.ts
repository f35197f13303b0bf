import { unzipSync } from 'fflate';
import { parse } from 'csv-parse/sync';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { canonicalBytes, ControlsReport, EvidenceTemplate, examinesItems } from '@evidence-ledger/core';
import { demoScenario } from '@evidence-ledger/samples';
import { encodeCsv, PACK_FILES, parseCsv, populationFileNames, verifyEvidencePack } from '@evidence-ledger/verify';
import { Ledger } from '@evidence-ledger/ledger';
import { sqliteHandle, StoreHandle } from '../../../ledger/src/testing/ledger-fixture';
import { TemplateCatalog } from '../templates/template-catalog';
import { appendAll, ledgerWithClock, packFile, pdfTextRuns, tamper, trustOf } from '../testing/pack-fixtures';
import { buildEvidencePack, BuiltPack, PackRequest } from './pack-builder';

const PERIOD = { from: '2026-10-01T00:00:00.000Z', to: '2026-10-02T00:00:00.000Z' };
const catalog = TemplateCatalog.load();
const signer = LocalKeySigner.generate('ledger.test');
const trust = trustOf(signer);
const request = (framework: string): PackRequest => ({ tenant: 'acme', framework, ...PERIOD, repositories: [] });
const template = (framework: string): EvidenceTemplate => catalog.get(framework) as EvidenceTemplate;

type CsvRecord = Record<string, string>;

let handle: StoreHandle;
let ledger: Ledger;
let pack: BuiltPack;
let events: string[];
let leaves: string[];
beforeAll(async () => {
  handle = sqliteHandle();
  ledger = ledgerWithClock(await handle.open(), signer);
  await appendAll(ledger, 'acme', demoScenario().events);
  pack = await buildEvidencePack(ledger, request('soc2'), { template: template('soc2') });
  events = packFile(pack.zip, PACK_FILES.events).split('\n');
  leaves = packFile(pack.zip, PACK_FILES.leafHashes).split('\n');
});
afterAll(() => handle.cleanup());

// The entry at `sequence` as the pack carries it: its event id, and its leaf hash in hex.
const entryAt = (sequence: number) => ({
  eventId: (JSON.parse(events[sequence]) as { id: string }).id,
  leafHash: Buffer.from(leaves[sequence], 'base64').toString('hex'),
  recordedAt: (JSON.parse(events[sequence]) as { recordedAt: string }).recordedAt,
});
const itemControls = (report: ControlsReport) => report.template.controls.filter((c) => c.tests.some(examinesItems));

describe('evidence an auditor can trace', () => {
  it('cites every sampled item, exception and late entry by sequence, event id and leaf hash, as the pack holds the entry', () => {
    const report = pack.controls;
    let sampled = 0;
    for (const c of report.controls) {
      for (const item of c.sample.items) {
        expect({ control: c.id, ...entryAt(item.sequence) }).toEqual({
          control: c.id,
          eventId: item.eventId,
          leafHash: item.leafHash,
          recordedAt: item.recordedAt,
        });
        expect(item.result === 'exception').toBe((item.rules ?? []).length > 0);
        sampled++;
      }
      for (const x of c.exceptions.filter((e) => e.sequence >= 0))
        expect(entryAt(x.sequence)).toMatchObject({ eventId: x.eventId, leafHash: x.leafHash });
    }
    expect(sampled).toBeGreaterThan(25);
    const cc81 = report.controls.find((c) => c.id === 'CC8.1');
    expect(cc81?.sample.items.find((i) => i.type === 'change.merged')?.attributes).toEqual(
      expect.objectContaining({ author: expect.any(String), approvers: expect.any(String), mergedAt: expect.any(String) }),
    );
  });

  it('states each control’s deviation rates as numbers, its selection criteria and why its population is complete', () => {
    const s = pack.controls.subject;
    for (const c of pack.controls.controls) {
      const { sample, population } = c.deviationRate;
      expect(sample.size).toBe(c.sample.size);
      expect(sample.exceptions).toBe(c.sample.items.filter((i) => i.result === 'exception').length);
      expect(sample.rate).toBe(sample.size === 0 ? null : sample.exceptions / sample.size);
      expect(population.size).toBeLessThanOrEqual(c.populationSize);
      expect(population.rate).toBe(population.size === 0 ? null : population.exceptions / population.size);
      expect(c.completeness).toContain(`proofs/range.json proves entries 0 to ${s.entries.end - 1}`);
      expect(c.completeness).toContain(`signed checkpoint ${s.checkpoint.origin} #${s.checkpoint.treeSize}`);
    }
    const failing = pack.controls.controls.find((c) => c.id === 'CC8.1');
    expect(failing?.deviationRate.population.exceptions).toBeGreaterThan(0);
    expect(failing?.selection).toContain(
      `independent-approval-before-merge: change.merged entries recorded (recordedAt, the ledger's clock) in [${PERIOD.from}, ${PERIOD.to})`,
    );
  });

  it('carries one RFC 4180 population CSV per control with an entry population, signed by the manifest, matching controls.json', async () => {
    // HIPAA's controls also verify the whole log beside their items; its control ids are no file names.
    const hipaa = await buildEvidencePack(ledger, request('hipaa'), { template: template('hipaa') });
    expect(hipaa.manifest.files['populations/164.312_c__1_.csv']).toMatch(/^[0-9a-f]{64}$/);
    for (const built of [pack, hipaa]) checkCsvs(built);
  });

  function checkCsvs(built: BuiltPack): void {
    const names = populationFileNames(built.controls.controls.map((c) => c.id));
    const controls = itemControls(built.controls);
    expect(controls.length).toBeGreaterThan(1);
    for (const control of controls) {
      const name = names.get(control.id) as string;
      expect(built.manifest.files[name]).toMatch(/^[0-9a-f]{64}$/);
      const text = packFile(built.zip, name);
      expect(text.split('\r\n').length).toBe(text.split('\n').length);
      const records = parse(text, { columns: true, record_delimiter: '\r\n' }) as CsvRecord[];
      const result = built.controls.controls.find((c) => c.id === control.id);
      if (!result) throw new Error(control.id);
      expect({ control: control.id, rows: records.length }).toEqual({ control: control.id, rows: result.deviationRate.population.size });
      const exceptions = records.filter((r) => r.result === 'exception');
      expect(exceptions.length).toBeLessThanOrEqual(result.deviationRate.population.exceptions);
      for (const r of records)
        expect(entryAt(Number(r.sequence))).toEqual({ eventId: r.eventId, leafHash: r.leafHash, recordedAt: r.recordedAt });
      // Every sampled item is its population's row, cell for cell.
      for (const item of result.sample.items) {
        const row = records.find((r) => Number(r.sequence) === item.sequence);
        // A column no test of the control examined at this item is an empty cell.
        const empty = Object.fromEntries(Object.keys(records[0]).map((k) => [k, '']));
        expect(row).toEqual({
          ...empty,
          eventId: item.eventId,
          sequence: String(item.sequence),
          leafHash: item.leafHash,
          type: item.type,
          time: item.time ?? '',
          recordedAt: item.recordedAt,
          ...item.attributes,
          result: item.result,
          rules: (item.rules ?? []).join('; '),
          late: item.late ? 'true' : 'false',
        });
      }
    }
    expect(Object.keys(unzipSync(built.zip)).filter((n) => n.startsWith('populations/'))).toHaveLength(controls.length);
  }

  it('the report cites sampled items, exceptions and timeline steps by sequence, event id and leaf-hash prefix', () => {
    const runs = pdfTextRuns(unzipSync(pack.zip)[PACK_FILES.report]);
    const cc81 = pack.controls.controls.find((c) => c.id === 'CC8.1');
    if (!cc81) throw new Error('CC8.1');
    const text = runs.join(' ').replace(/\s+/g, ' ');
    const { sample, population } = cc81.deviationRate;
    expect(text).toContain(
      `Type II sample: 25 of ${population.size}, drawn from the checkpoint root. Deviation rate: ${sample.exceptions}/25 = ${((sample.rate ?? 0) * 100).toFixed(1)}% in the sample, ${population.exceptions}/${population.size} = ${((population.rate ?? 0) * 100).toFixed(1)}% in the population.`,
    );
    for (const item of cc81.sample.items) {
      expect(runs).toContain(item.eventId);
      expect(runs).toContain(item.leafHash.slice(0, 12));
    }
    // A table's entry cell: the sequence, the event id (wrapped as the column needs), the leaf-hash prefix.
    for (const x of cc81.exceptions) expect(runs).toContain(`leaf ${(x.leafHash ?? '').slice(0, 12)}`);
  });

  it('the verifier re-draws every sample and re-checks every CSV row', () => {
    const passed = verifyEvidencePack(pack.zip, trust).passed;
    expect(passed).toContainEqual(expect.stringMatching(/^samples: \d+ controls' samples re-drawn from the checkpoint root; identical$/));
    expect(passed).toContainEqual(
      expect.stringMatching(/^\d+ population CSVs: all \d+ rows match the populations re-evaluated from the events$/),
    );
  });

  it('a tampered sample item fails verification, naming the control and its sample', () => {
    const edited = tamper(pack.zip, PACK_FILES.controls, (bytes) => {
      const report = JSON.parse(Buffer.from(bytes).toString('utf8')) as {
        controls: { id: string; sample: { items: { attributes: Record<string, string> }[] } }[];
      };
      const control = report.controls.find((c) => c.id === 'CC8.1');
      if (!control) throw new Error('CC8.1');
      control.sample.items[0].attributes.approvers = 'mallory at merge';
      return canonicalBytes(report);
    });
    const sequence = pack.controls.controls.find((c) => c.id === 'CC8.1')?.sample.items[0].sequence;
    const failures = verifyEvidencePack(edited, trust).failures;
    expect(failures.find((f) => f.startsWith('controls.json: control CC8.1: its sample'))).toMatch(
      new RegExp(
        `^controls\\.json: control CC8\\.1: its sample differs from the sample re-drawn from the checkpoint root: item 1 \\(sequence ${sequence}\\) has attributes \\{.*"approvers":"mallory at merge".*\\}; re-drawn: \\{`,
      ),
    );
    expect(failures.filter((f) => f.startsWith('controls.json: control CC8.1 differs'))).toEqual([]);
  });

  it('a tampered CSV cell fails verification, naming the file, the row and the column', () => {
    const name = populationFileNames(pack.controls.controls.map((c) => c.id)).get('CC8.1') as string;
    const rows = parseCsv(packFile(pack.zip, name));
    const column = rows[0].indexOf('result');
    const edited = rows.map((r) => [...r]);
    edited[2][column] = edited[2][column] === 'pass' ? 'exception' : 'pass';
    const failures = verifyEvidencePack(
      tamper(pack.zip, name, () => encodeCsv(edited)),
      trust,
    ).failures;
    expect(failures).toContain(`${name}: its SHA-256 differs from the one manifest.json lists`);
    expect(failures).toContain(
      `${name}: row 3 (sequence ${rows[2][1]}), column ${column + 1} (result): "${edited[2][column]}" differs from the re-evaluation ("${rows[2][column]}")`,
    );
    const notCsv = verifyEvidencePack(
      tamper(pack.zip, name, (b) => Buffer.from(Buffer.from(b).toString('utf8').replace(/\r\n/g, '\n'))),
      trust,
    ).failures;
    expect(notCsv).toContain(`${name}: not RFC 4180 CSV: row 1: unexpected "\\n" after a field (records end with CRLF)`);
  });

  it('gives the same CSV bytes when the pack is rebuilt', async () => {
    const again = await buildEvidencePack(ledger, request('soc2'), { template: template('soc2') });
    expect(Buffer.compare(again.zip, pack.zip)).toBe(0);
    for (const [name, digest] of Object.entries(pack.manifest.files))
      if (name.startsWith('populations/')) expect(again.manifest.files[name]).toBe(digest);
  });
});
