import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustedNoteKey } from '@evidence-ledger/core';
import { LocalKeySigner, parsePublicKeys } from '@evidence-ledger/signing';
import { Ledger } from '@evidence-ledger/ledger';
import { LedgerStore } from '@evidence-ledger/store';
import { ArchiveStore, DiskArchiveStore } from '../stores';
import { modelInvocation } from '../../../ledger/src/testing/events';
import { StoreHandle, STORES } from '../../../ledger/src/testing/ledger-fixture';
import { verifyArchive } from './archive-verifier';
import { listArchivedTenants, listSegments } from './archived-segments';
import { SegmentError } from './segment-error';
import { segmentClaimKey } from './segment-keys';
import { SealedSegment, SegmentSealer } from './segment-sealer';

const PREFIX = 'ledger.test';
const inAYear = () => new Date(Date.now() + 365 * 24 * 3600 * 1000);

describe.each(STORES)('sealing log segments into the archive, on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let store: LedgerStore;
  let archive: ArchiveStore;
  let dir: string;
  let signer: LocalKeySigner;
  let ledger: Ledger;
  let trusted: TrustedNoteKey[];

  beforeEach(async () => {
    handle = makeHandle();
    store = await handle.open();
    dir = mkdtempSync(join(tmpdir(), 'sealer-'));
    archive = await DiskArchiveStore.open(join(dir, 'archive'));
    signer = LocalKeySigner.generate(PREFIX);
    trusted = parsePublicKeys(signer.publicKeyPem());
    ledger = new Ledger({ store, signer, originPrefix: PREFIX });
  });
  afterEach(async () => {
    await ledger.close();
    await store.close();
    await handle.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = async (tenant: string, ...batches: number[]) => {
    for (const size of batches)
      await ledger.append(
        tenant,
        'producer-1',
        Array.from({ length: size }, () => modelInvocation()),
      );
  };
  const sealer = () => new SegmentSealer(store, archive);

  it('seals consecutive segments that verify as one log from entry 0 and match the live log', async () => {
    await append('acme', 3, 5);
    const first = await sealer().seal('acme', { retainUntil: inAYear() });
    await append('acme', 1, 7);
    const second = await sealer().seal('acme', { retainUntil: inAYear() });
    expect([first?.from, first?.to, second?.from, second?.to]).toEqual([0, 8, 8, 16]);
    expect(second?.checkpoints).toBe(2);
    expect(await sealer().seal('acme', { retainUntil: inAYear() })).toBeUndefined();
    expect((await listSegments(archive, 'acme')).segments.map((s) => [s.from, s.to])).toEqual([
      [0, 8],
      [8, 16],
    ]);
    const report = await verifyArchive({ archive, store, tenant: 'acme', trusted });
    expect(report).toMatchObject({ ok: true, entries: 16, live: { treeSize: 16, entriesAfterArchive: 0 } });
    expect(report.segments.map((s) => s.checkpoints)).toEqual([2, 2]);
  });

  it('learns a key rotated in one segment to verify the segments and the live log after it', async () => {
    await append('acme', 4);
    await sealer().seal('acme', { retainUntil: inAYear() });
    const next = LocalKeySigner.generate(PREFIX);
    await ledger.rotateSigningKey(next);
    await ledger.close();
    ledger = new Ledger({ store, signer: next, originPrefix: PREFIX });
    await append('acme', 3);
    await sealer().seal('acme', { retainUntil: inAYear() });
    await append('acme', 2);
    const report = await verifyArchive({ archive, store, tenant: 'acme', trusted });
    expect(report.failure).toBeUndefined();
    expect(report).toMatchObject({ ok: true, keysLearned: [next.keyId], live: { treeSize: 10, entriesAfterArchive: 2 } });
  });

  it('seals up to a chosen checkpoint only, and refuses a tree size that has none', async () => {
    await append('acme', 3, 5, 2);
    await expect(sealer().seal('acme', { to: 4, retainUntil: inAYear() })).rejects.toThrow(
      'tenant acme has no checkpoint at tree size 4; the nearest checkpoints are at 3 and 8',
    );
    expect((await sealer().seal('acme', { to: 8, retainUntil: inAYear() }))?.to).toBe(8);
    await expect(sealer().seal('acme', { to: 3, retainUntil: inAYear() })).rejects.toThrow('already sealed up to tree size 8');
    expect(await sealer().sealedUpTo('acme')).toBe(8);
  });

  it('never archives overlapping segments when two seals race with different ends', async () => {
    await append('acme', 3, 5);
    const results = await Promise.allSettled([
      sealer().seal('acme', { to: 3, retainUntil: inAYear() }),
      sealer().seal('acme', { to: 8, retainUntil: inAYear() }),
    ]);
    const sealed = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<SealedSegment>).value);
    expect(sealed.length).toBeGreaterThanOrEqual(1);
    const ends = new Set(sealed.map((r) => r.to));
    expect(ends.size).toBe(1);
    expect((await listSegments(archive, 'acme')).segments).toHaveLength(1);
    await sealer().seal('acme', { retainUntil: inAYear() });
    expect(await verifyArchive({ archive, store, tenant: 'acme', trusted })).toMatchObject({ ok: true, entries: 8 });
  });

  it('completes a segment whose seal died after claiming its end', async () => {
    await append('acme', 3, 5);
    const claim = { format: 'evidence-ledger/segment-claim/v1', tenant: 'acme', from: 0, to: 3 };
    await archive.put(segmentClaimKey('acme', 0), Buffer.from(JSON.stringify(claim)), {
      retainUntil: inAYear(),
      contentType: 'application/json',
    });
    expect(await sealer().seal('acme', { retainUntil: inAYear() })).toMatchObject({ from: 0, to: 3 });
    expect(await sealer().seal('acme', { retainUntil: inAYear() })).toMatchObject({ from: 3, to: 8 });
  });

  it('keeps tenants apart and lists the archived ones', async () => {
    await append('acme', 2);
    await append('globex', 3);
    await sealer().seal('acme', { retainUntil: inAYear() });
    await sealer().seal('globex', { retainUntil: inAYear() });
    expect(await listArchivedTenants(archive)).toEqual(['acme', 'globex']);
    const report = await verifyArchive({ archive, store, tenant: 'globex', trusted });
    expect(report).toMatchObject({ ok: true, entries: 3, origin: `${PREFIX}/globex` });
  });

  it('refuses to verify with a key that did not sign the log', async () => {
    await append('acme', 2);
    await sealer().seal('acme', { retainUntil: inAYear() });
    const stranger = parsePublicKeys(LocalKeySigner.generate(PREFIX).publicKeyPem());
    const report = await verifyArchive({ archive, store, tenant: 'acme', trusted: stranger });
    expect(report.failure).toMatchObject({ code: 'WRONG_KEY', treeSize: 2, line: 4 });
  });

  it('says when the archive holds nothing of a tenant, and when the store holds no log of it', async () => {
    await expect(verifyArchive({ archive, store, tenant: 'acme', trusted })).rejects.toThrow(SegmentError);
    await expect(sealer().seal('acme', { retainUntil: inAYear() })).rejects.toThrow('tenant acme has no signed checkpoint');
    await expect(sealer().seal('../acme', { retainUntil: inAYear() })).rejects.toThrow('is not a tenant name');
  });
});
