import { LocalKeySigner } from '@evidence-ledger/signing';
import { EvidenceTemplate } from '@evidence-ledger/core';
import { sqliteHandle, StoreHandle } from '../../../ledger/src/testing/ledger-fixture';
import { demoScenario } from '@evidence-ledger/samples';
import { Ledger } from '@evidence-ledger/ledger';
import { buildEvidencePack, BuiltPack } from './pack-builder';
import { spkiSha256 } from './pack-signing';
import { readZip, verifyEvidencePack, writeZip } from '@evidence-ledger/verify';
import { appendAll, cleanEvents, ledgerWithClock, trustOf } from '../testing/pack-fixtures';
import { deflatedZeros, withRawEntry } from '../testing/zip-bomb';
import { TemplateCatalog } from '../templates/template-catalog';

// What the offline pack verifier does with the keys and checkpoints an auditor brings, and
// with a zip that declares more than it should.
describe('evidence pack verification: wrong keys, trusted checkpoints, zip bombs', () => {
  const signer = LocalKeySigner.generate('ledger.test');
  const trust = trustOf(signer);
  const template = TemplateCatalog.load().get('soc2') as EvidenceTemplate;
  const handles: StoreHandle[] = [];
  let ledger: Ledger;
  let pack: BuiltPack;
  let fullPack: BuiltPack;
  const checkpointNote = async (size: number) => ({
    source: `cp-${size}.note`,
    note: (await ledger.store.checkpointAt('acme', size))!.note,
  });

  beforeAll(async () => {
    const handle = sqliteHandle();
    handles.push(handle);
    ledger = ledgerWithClock(await handle.open(), signer);
    await appendAll(ledger, 'acme', cleanEvents(demoScenario()));
    // A pack whose period ends before the log does: it carries only the first entries.
    const all: string[] = [];
    for await (const e of ledger.store.readEntries('acme', 0)) all.push(JSON.parse(e.canonical.toString('utf8')).recordedAt as string);
    const to = all[Math.floor(all.length / 2)];
    pack = await buildEvidencePack(ledger, { tenant: 'acme', framework: 'soc2', from: all[0], to, repositories: [] }, { template });
    fullPack = await buildEvidencePack(
      ledger,
      { tenant: 'acme', framework: 'soc2', from: all[0], to: '2030-01-01T00:00:00.000Z', repositories: [] },
      { template },
    );
  }, 120_000);
  afterAll(async () => {
    await ledger?.close();
    for (const h of handles) await h.cleanup();
  });

  const sizes = async () => {
    const out: number[] = [];
    for await (const c of ledger.store.readCheckpoints('acme')) out.push(c.treeSize);
    return out;
  };

  it('says first that the pack was signed by another key, by key id, instead of reading like tampering', () => {
    const stranger = LocalKeySigner.generate('ledger.test');
    const v = verifyEvidencePack(fullPack.zip, trustOf(stranger));
    expect(v.ok).toBe(false);
    const expected = `signed by key ${spkiSha256(signer.publicKey)}, not by the key given (${spkiSha256(stranger.publicKey)})`;
    expect(v.wrongKey).toBe(expected);
    expect(v.failures[0]).toBe(`--public-key: ${expected}`);
    expect(verifyEvidencePack(fullPack.zip, trust).wrongKey).toBeUndefined();
  });

  it('passes a pack whose tree extends the trusted checkpoints it can prove: its own, and any within its entries', async () => {
    const own = fullPack.manifest.checkpoint.treeSize;
    const inside = (await sizes()).filter((s) => s < own)[0];
    const v = verifyEvidencePack(fullPack.zip, { ...trust, checkpoints: [await checkpointNote(inside), await checkpointNote(own)] });
    expect(v.failures).toEqual([]);
    expect(v.passed).toEqual(
      expect.arrayContaining([`--trusted-checkpoint: this pack's tree #${own} extends cp-${inside}.note (tree size ${inside})`]),
    );
  });

  it('fails a pack older than a checkpoint seen, and one whose log was rewritten', async () => {
    await appendAll(
      ledger,
      'acme',
      cleanEvents(demoScenario())
        .slice(0, 5)
        .map((e) => ({ ...e, id: crypto.randomUUID() })),
    );
    const later = (await sizes()).at(-1)!;
    const rolled = verifyEvidencePack(fullPack.zip, { ...trust, checkpoints: [await checkpointNote(later)] });
    expect(rolled.failures).toEqual([
      expect.stringMatching(
        new RegExp(
          `^--trusted-checkpoint: the pack ends at tree size \\d+, before the trusted checkpoint cp-${later}\\.note at tree size ${later}: it was rolled back`,
        ),
      ),
    ]);
    // A checkpoint of another log under the same key and origin, of the pack's own size.
    const otherHandle = sqliteHandle();
    handles.push(otherHandle);
    const other = ledgerWithClock(await otherHandle.open(), signer);
    try {
      await appendAll(other, 'acme', cleanEvents(demoScenario()).slice(1));
      const own = fullPack.manifest.checkpoint.treeSize;
      const sizesOther: number[] = [];
      for await (const c of other.store.readCheckpoints('acme')) sizesOther.push(c.treeSize);
      const size = sizesOther.filter((s) => s <= own).at(-1)!;
      const note = (await other.store.checkpointAt('acme', size))!.note;
      const forked = verifyEvidencePack(fullPack.zip, { ...trust, checkpoints: [{ source: 'other.note', note }] });
      expect(forked.failures).toEqual([
        expect.stringMatching(
          /^--trusted-checkpoint: the pack's root at tree size \d+ is not the root of the trusted checkpoint other\.note/,
        ),
      ]);
    } finally {
      await other.close();
    }
  });

  it('says plainly when the pack cannot prove it extends a trusted checkpoint, and fails', async () => {
    const { end } = pack.manifest.entries;
    const between = (await sizes()).find((s) => s > end && s < pack.manifest.checkpoint.treeSize);
    expect(between).toBeDefined();
    const v = verifyEvidencePack(pack.zip, { ...trust, checkpoints: [await checkpointNote(between!)] });
    expect(v.ok).toBe(false);
    expect(v.failures).toEqual([
      expect.stringMatching(
        new RegExp(
          `^--trusted-checkpoint: the pack \\(tree size \\d+\\) carries nothing that proves it extends the trusted checkpoint cp-${between}\\.note`,
        ),
      ),
    ]);
  });

  it('refuses an unlisted entry that declares 1.9 GB by its header alone, without inflating it', () => {
    const bomb = deflatedZeros(1.9e9);
    const zip = withRawEntry(fullPack.zip, 'padding.bin', bomb.compressed, bomb.size);
    expect(zip.length).toBeLessThan(fullPack.zip.length + 2_000_000);
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const v = verifyEvidencePack(zip, trust);
    const peakAfter = process.resourceUsage().maxRSS * 1024;
    expect(v.failures).toEqual([`padding.bin: not listed in manifest.json; refused without unpacking it (it declares ${bomb.size} bytes)`]);
    // Inflating it would have raised the peak by its 1.9 GB.
    expect(peakAfter - peakBefore).toBeLessThan(256 * 1024 * 1024);
  });

  it('unpacks nothing large that only a manifest the key did not sign lists', () => {
    const files = readZip(fullPack.zip);
    const manifest = JSON.parse(Buffer.from(files['manifest.json']).toString('utf8')) as { files: Record<string, string> };
    manifest.files['padding.bin'] = 'ab'.repeat(32);
    files['manifest.json'] = Buffer.from(JSON.stringify(manifest));
    const forged = writeZip(Object.entries(files).map(([name, bytes]) => ({ name, bytes, level: 6 })));
    const bomb = deflatedZeros(1.9e9);
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const v = verifyEvidencePack(withRawEntry(forged, 'padding.bin', bomb.compressed, bomb.size), trust);
    expect(process.resourceUsage().maxRSS * 1024 - peakBefore).toBeLessThan(256 * 1024 * 1024);
    expect(v.failures).toEqual(
      expect.arrayContaining([
        'manifest.json: its SHA-256 differs from the one the signed statement (manifest.sigstore.json) names',
        `padding.bin: declares ${bomb.size} bytes; not unpacked, as manifest.json is not signed by the key`,
      ]),
    );
  });

  it('refuses an entry that declares more than a pack may unpack, before reading anything else', () => {
    const bomb = deflatedZeros(64 * 1024 * 1024);
    const v = verifyEvidencePack(withRawEntry(fullPack.zip, 'events.jsonl.1', bomb.compressed, 0xfffffff0), trust);
    expect(v.failures).toEqual([
      expect.stringMatching(/^pack: not a readable zip \(events\.jsonl\.1: declares 4294967280 bytes unpacked, more than/),
    ]);
  });
});
