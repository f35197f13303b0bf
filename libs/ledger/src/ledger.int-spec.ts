import {
  uuidv7,
  canonicalBytes,
  GENESIS_CHAIN_HASH,
  chainHash,
  leafHash,
  openCheckpoint,
  parseVerifierKey,
  verifyConsistency,
  verifyInclusion,
  verifyLogStream,
  Receipt,
  rootFromInclusionProof,
} from '@evidence-ledger/core';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { LedgerStore } from '@evidence-ledger/store';
import { Ledger } from './ledger';
import { modelInvocation } from './testing/events';
import { ledgerOver, StoreHandle, STORES } from './testing/ledger-fixture';

const fromB64 = (s: string) => Buffer.from(s, 'base64');

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const i of items) out.push(i);
  return out;
}

// What a producer can check with nothing but the ledger's public key.
function receiptVerifies(receipt: Receipt, verifierKey: string): boolean {
  const { checkpoint } = openCheckpoint(receipt.checkpoint, [parseVerifierKey(verifierKey)]);
  const root = rootFromInclusionProof(
    { ...receipt.inclusionProof, hashes: receipt.inclusionProof.hashes.map(fromB64) },
    fromB64(receipt.leafHash),
  );
  return Buffer.from(root).equals(checkpoint.rootHash) && checkpoint.treeSize === receipt.inclusionProof.treeSize;
}

describe.each(STORES)('the append path on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let store: LedgerStore;
  let signer: LocalKeySigner;
  let ledger: Ledger;

  beforeEach(async () => {
    handle = makeHandle();
    store = await handle.open();
    signer = LocalKeySigner.generate('ledger.test');
    ledger = ledgerOver(store, signer);
  });
  afterEach(async () => {
    await ledger.close();
    await store.close();
    await handle.cleanup();
  });

  async function verifyAll(tenant = 'acme') {
    return verifyLogStream(store.readEntries(tenant, 0), store.readCheckpoints(tenant), {
      trusted: [parseVerifierKey(signer.verifierKey())],
      origin: `ledger.test/${tenant}`,
      tenant,
    });
  }

  it('returns receipts whose proofs verify against the signed checkpoint with only the public key', async () => {
    const appended = await ledger.append('acme', 'key-1', [modelInvocation(), modelInvocation(), modelInvocation()]);
    expect(appended.map((a) => a.receipt.sequence)).toEqual([0, 1, 2]);
    for (const { receipt, duplicate } of appended) {
      expect(duplicate).toBe(false);
      expect(receiptVerifies(receipt, signer.verifierKey())).toBe(true);
    }
    const stored = await store.getEntry('acme', 1);
    expect(leafHash(stored!.canonical).toString('base64')).toBe(appended[1].receipt.leafHash);
    expect(JSON.parse(stored!.canonical.toString())).toMatchObject({
      tenant: 'acme',
      sequence: 1,
      producer: 'key-1',
      type: 'model.invocation.completed',
    });
  });

  it('gives a producer what it needs to rebuild its entry bytes and check the leaf hash itself', async () => {
    const event = modelInvocation();
    const [{ receipt }] = await ledger.append('acme', 'key-1', event);
    const tenant = receipt.checkpoint.split('\n')[0].split('/').pop();
    const rebuilt = canonicalBytes({ ...event, tenant, sequence: receipt.sequence, recordedAt: receipt.recordedAt, producer: 'key-1' });
    expect(leafHash(rebuilt).toString('base64')).toBe(receipt.leafHash);
    const [{ receipt: retried }] = await ledger.append('acme', 'key-1', event);
    expect(retried.recordedAt).toBe(receipt.recordedAt);
  });

  it('chains every entry to the one before it from the documented genesis', async () => {
    await ledger.append('acme', 'key-1', [modelInvocation(), modelInvocation()]);
    const [e0, e1] = await collect(store.readEntries('acme', 0));
    expect(e0.chainHash.equals(chainHash(GENESIS_CHAIN_HASH, leafHash(e0.canonical)))).toBe(true);
    expect(e1.chainHash.equals(chainHash(e0.chainHash, leafHash(e1.canonical)))).toBe(true);
  });

  it('answers a retried event id with the original receipt and writes nothing', async () => {
    const event = modelInvocation();
    const [first] = await ledger.append('acme', 'key-1', event);
    await ledger.append('acme', 'key-1', modelInvocation());
    const [again] = await ledger.append('acme', 'key-1', { ...event, id: (event.id as string).toUpperCase() });
    expect(again.duplicate).toBe(true);
    expect(again.receipt).toMatchObject({
      id: first.receipt.id,
      sequence: 0,
      leafHash: first.receipt.leafHash,
      chainHash: first.receipt.chainHash,
    });
    expect(receiptVerifies(again.receipt, signer.verifierKey())).toBe(true);
    expect((await store.head('acme')).treeSize).toBe(2);
  });

  it('refuses a reused event id with different content, writing nothing from that batch', async () => {
    const event = modelInvocation();
    await ledger.append('acme', 'key-1', event);
    const tampered = { ...event, data: { ...(event.data as object), costUsd: 0 } };
    await expect(ledger.append('acme', 'key-1', [modelInvocation(), tampered])).rejects.toMatchObject({ code: 'ID_CONFLICT' });
    expect((await store.head('acme')).treeSize).toBe(1);
  });

  it.each([
    ['a non-object', 42, 'INVALID_ENVELOPE'],
    ['a missing id', modelInvocation({ id: undefined }), 'INVALID_ENVELOPE'],
    ['a malformed id', modelInvocation({ id: 'not-a-uuid' }), 'INVALID_ENVELOPE'],
    ['a missing source', modelInvocation({ source: undefined }), 'INVALID_ENVELOPE'],
    ['an unknown type', modelInvocation({ type: 'made.up' }), 'INVALID_ENVELOPE'],
    ['a server-only type', modelInvocation({ type: 'ledger.key.rotated' }), 'INVALID_ENVELOPE'],
    ['a tenant set by the producer', modelInvocation({ tenant: 'globex' }), 'INVALID_ENVELOPE'],
    ['a sequence set by the producer', modelInvocation({ sequence: 0 }), 'INVALID_ENVELOPE'],
    [
      'an oversize event',
      modelInvocation({
        data: { blob: 'x'.repeat(60_000), more: ['y'.repeat(60_000), 'z'.repeat(60_000), 'w'.repeat(60_000), 'v'.repeat(60_000)] },
      }),
      'EVENT_TOO_LARGE',
    ],
    ['an unsafe integer', modelInvocation({ data: { n: 2 ** 60 } }), 'INVALID_ENVELOPE'],
    ['deep nesting', modelInvocation({ data: JSON.parse('['.repeat(40) + ']'.repeat(40)) }), 'INVALID_ENVELOPE'],
    ['an empty batch', [], 'EMPTY_BATCH'],
  ])('rejects a batch holding %s with a typed error and writes nothing', async (_what, bad, code) => {
    const batch = Array.isArray(bad) ? bad : [modelInvocation(), bad];
    await expect(ledger.append('acme', 'key-1', batch)).rejects.toMatchObject({ code });
    expect((await store.head('acme')).treeSize).toBe(0);
  });

  it('rejects a batch that repeats an id and one that is too long', async () => {
    const e = modelInvocation();
    await expect(ledger.append('acme', 'key-1', [e, { ...e }])).rejects.toMatchObject({ code: 'DUPLICATE_ID_IN_BATCH' });
    await expect(
      ledger.append(
        'acme',
        'key-1',
        Array.from({ length: 1001 }, () => modelInvocation()),
      ),
    ).rejects.toMatchObject({ code: 'BATCH_TOO_LARGE' });
    expect((await store.head('acme')).treeSize).toBe(0);
  });

  it('names every invalid field of a rejected batch', async () => {
    const error = await ledger
      .append('acme', 'key-1', [modelInvocation(), modelInvocation({ id: 'x', time: 'yesterday' })])
      .catch((e) => e);
    expect(error.violations.map((v: { path: string }) => v.path)).toEqual(['[1].id', '[1].time']);
  });

  it('coalesces concurrent single-event appends into few transactions', async () => {
    const commits: number[] = [];
    await ledger.close();
    ledger = new Ledger({ store, signer, originPrefix: 'ledger.test', onCommit: (s) => commits.push(s.events) });
    const results = await Promise.all(Array.from({ length: 200 }, () => ledger.append('acme', 'key-1', modelInvocation())));
    const sequences = results.map(([r]) => r.receipt.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(commits.length).toBeLessThan(200);
    expect(commits.reduce((a, b) => a + b, 0)).toBe(200);
    for (const [{ receipt }] of results) expect(receiptVerifies(receipt, signer.verifierKey())).toBe(true);
    expect((await verifyAll()).ok).toBe(true);
  });

  it('continues the same chain after a restart', async () => {
    await ledger.append('acme', 'key-1', [modelInvocation(), modelInvocation(), modelInvocation()]);
    await ledger.close();
    await store.close();
    store = await handle.open();
    ledger = ledgerOver(store, signer);
    const [next] = await ledger.append('acme', 'key-1', modelInvocation());
    expect(next.receipt.sequence).toBe(3);
    const report = await verifyAll();
    expect(report).toMatchObject({ ok: true, entries: 4, verifiedTreeSize: 4 });
  });

  it('keeps one linear chain when two instances append to the same database', async () => {
    const otherStore = await handle.open();
    const other = ledgerOver(otherStore, signer);
    try {
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (i % 2 ? ledger : other).append('acme', `key-${i % 2}`, [modelInvocation(), modelInvocation()]),
        ),
      );
    } finally {
      await other.close();
      await otherStore.close();
    }
    expect(await verifyAll()).toMatchObject({ ok: true, entries: 120 });
  });

  it('proves entries another instance appended, from the newer checkpoint', async () => {
    await ledger.append('acme', 'key-1', modelInvocation());
    expect((await ledger.inclusionProof('acme', 0)).checkpoint?.treeSize).toBe(1);
    const otherStore = await handle.open();
    const other = ledgerOver(otherStore, signer);
    try {
      await other.append('acme', 'key-2', [modelInvocation(), modelInvocation()]);
    } finally {
      await other.close();
      await otherStore.close();
    }
    const { proof, checkpoint } = await ledger.inclusionProof('acme', 2);
    expect(checkpoint?.treeSize).toBe(3);
    expect(verifyInclusion(proof, (await store.getEntry('acme', 2))!.canonical, checkpoint!.rootHash)).toBe(true);
    expect((await ledger.consistencyProof('acme', 1, 3)).toSize).toBe(3);
  });

  it('verifies entries of any size, down to a short type as the last member', async () => {
    const tiny = { specversion: '1.0', id: uuidv7(), source: 's', type: 'x.t' };
    await ledger.append('acme', 'k', [tiny, { ...tiny, id: uuidv7(), type: 'x.ledger.key.rotated.not' }]);
    expect(await verifyAll()).toMatchObject({ ok: true, entries: 2, keysLearned: [] });
  });

  it('keeps tenants apart, each with its own origin', async () => {
    const [a] = await ledger.append('acme', 'key-1', modelInvocation());
    const [g] = await ledger.append('globex', 'key-2', modelInvocation());
    expect(a.receipt.sequence).toBe(0);
    expect(g.receipt.sequence).toBe(0);
    expect(a.receipt.checkpoint.split('\n')[0]).toBe('ledger.test/acme');
    expect(g.receipt.checkpoint.split('\n')[0]).toBe('ledger.test/globex');
    expect((await verifyAll('globex')).ok).toBe(true);
  });

  it('refuses a tenant name that could not be a checkpoint origin', async () => {
    await expect(ledger.append('Acme Corp', 'key-1', modelInvocation())).rejects.toMatchObject({ code: 'INVALID_ENVELOPE' });
  });

  it('proves any entry against any later checkpoint, and old checkpoints consistent with new ones', async () => {
    await ledger.append(
      'acme',
      'key-1',
      Array.from({ length: 5 }, () => modelInvocation()),
    );
    const old = (await store.latestCheckpoint('acme'))!;
    await ledger.append(
      'acme',
      'key-1',
      Array.from({ length: 9 }, () => modelInvocation()),
    );
    const latest = (await store.latestCheckpoint('acme'))!;
    const { proof, checkpoint } = await ledger.inclusionProof('acme', 3);
    expect(checkpoint?.treeSize).toBe(14);
    expect(verifyInclusion(proof, (await store.getEntry('acme', 3))!.canonical, latest.rootHash)).toBe(true);
    const consistency = await ledger.consistencyProof('acme', 5, 14);
    expect(verifyConsistency(consistency, old.rootHash, latest.rootHash)).toBe(true);
    await expect(ledger.inclusionProof('acme', 14)).rejects.toMatchObject({ code: 'INVALID_PROOF_REQUEST' });
    await expect(ledger.consistencyProof('acme', 15, 14)).rejects.toMatchObject({ code: 'INVALID_PROOF_REQUEST' });
  });

  it('records a key rotation in the log, co-signed, so the old key vouches for the new one', async () => {
    await ledger.append('acme', 'key-1', modelInvocation());
    const next = LocalKeySigner.generate('ledger.test');
    const [rotation] = await ledger.rotateSigningKey(next);
    const opened = openCheckpoint(rotation.receipt.checkpoint, [
      parseVerifierKey(signer.verifierKey()),
      parseVerifierKey(next.verifierKey()),
    ]);
    expect(opened.verifiedBy).toHaveLength(2);
    const [after] = await ledger.append('acme', 'key-1', modelInvocation());
    expect(() => openCheckpoint(after.receipt.checkpoint, [parseVerifierKey(signer.verifierKey())])).toThrow();
    expect(receiptVerifies(after.receipt, next.verifierKey())).toBe(true);
    const report = await verifyAll();
    expect(report).toMatchObject({ ok: true, entries: 3, keysLearned: [next.keyId] });
    const body = JSON.parse((await store.getEntry('acme', 1))!.canonical.toString());
    expect(body).toMatchObject({
      type: 'ledger.key.rotated',
      producer: 'evidence-ledger',
      data: { previousKeyId: signer.keyId, keyId: next.keyId },
    });
  });

  it('refuses appends once closed, after finishing those already accepted', async () => {
    const pending = ledger.append('acme', 'key-1', modelInvocation());
    const closing = ledger.close();
    await expect(ledger.append('acme', 'key-1', modelInvocation())).rejects.toMatchObject({ code: 'LEDGER_CLOSED' });
    await closing;
    expect((await pending)[0].receipt.sequence).toBe(0);
  });
});
