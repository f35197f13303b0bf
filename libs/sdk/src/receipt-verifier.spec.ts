import { ConsistencyProof, parseVerifierKey, Receipt, uuidv7 } from '@evidence-ledger/core';
import { CheckpointHistory } from './checkpoint-history';
import { LedgerIntegrityError } from './errors';
import { outgoingEvent, OutgoingEvent } from './ledger-event';
import { ReceiptVerifier } from './receipt-verifier';
import { TrustState } from './trust-state';
import { TestLog, testSigningKey } from './testing/test-log';

const API_KEY = 'elk_test_producer';

const newEvent = (n: number): OutgoingEvent =>
  outgoingEvent({ specversion: '1.0', id: uuidv7(), source: 'urn:test:verifier', type: 'x.test.verified', data: { n } });

// Flips one bit of the character at `index` of a base64 string, keeping it valid base64.
function flipBase64(text: string, index: number): string {
  const bytes = Buffer.from(text, 'base64');
  bytes[index] ^= 0x01;
  return bytes.toString('base64');
}

describe('ReceiptVerifier', () => {
  const key = testSigningKey('ledger.test');
  let log: TestLog;
  let serving: TestLog;
  let events: OutgoingEvent[];
  let proofsFetched: number;

  const verifierFor = (options: { pinned?: string[]; origin?: string; saved?: TrustState; save?: (s: TrustState) => void } = {}) =>
    new ReceiptVerifier({
      anchor: { kind: 'pinned', keys: (options.pinned ?? [key.vkey]).map(parseVerifierKey) },
      origin: options.origin,
      apiKey: API_KEY,
      saved: options.saved,
      save: options.save,
      history: new CheckpointHistory(async (from, to): Promise<ConsistencyProof> => {
        proofsFetched++;
        return serving.consistencyProof(from, to);
      }),
    });

  const check = async (verifier: ReceiptVerifier, event: OutgoingEvent, receipt: Receipt) =>
    (await verifier.verify([{ event, receipt }]))[0];

  beforeEach(() => {
    log = new TestLog(key, 'ledger.test/default', API_KEY);
    serving = log;
    proofsFetched = 0;
    events = [newEvent(0), newEvent(1), newEvent(2)];
    log.append(events.map((e) => e.envelope));
  });

  describe('accepts', () => {
    it('the receipts of a log that holds the events, signed by the pinned key', async () => {
      const verifier = verifierFor();
      const results = await verifier.verify(await Promise.all(events.map(async (event, i) => ({ event, receipt: await log.receipt(i) }))));

      expect(results).toEqual([undefined, undefined, undefined]);
    });

    it('a later checkpoint that extends the one seen before, and an earlier one that the newest extends', async () => {
      const verifier = verifierFor();
      expect(await check(verifier, events[0], await log.receipt(0, 1))).toBeUndefined();
      const more = [newEvent(3), newEvent(4)];
      log.append(more.map((e) => e.envelope));
      expect(await check(verifier, more[1], await log.receipt(4, 5))).toBeUndefined();
      expect(await check(verifier, events[2], await log.receipt(2, 3))).toBeUndefined();
      expect(proofsFetched).toBe(2);
    });
  });

  describe('rejects with a LedgerIntegrityError', () => {
    const expectFailure = async (result: Promise<Error | undefined>, code: string) => {
      const error = await result;
      expect(error).toBeInstanceOf(LedgerIntegrityError);
      expect(error).toMatchObject({ code });
    };

    it('a checkpoint with one bit of its signature flipped', async () => {
      const receipt = await log.receipt(1);
      const [text, line] = receipt.checkpoint.split('\n\n');
      const [dash, name, signature] = line.trimEnd().split(' ');
      const tampered = `${text}\n\n${dash} ${name} ${flipBase64(signature, 40)}\n`;

      await expectFailure(check(verifierFor(), events[1], { ...receipt, checkpoint: tampered }), 'CHECKPOINT_SIGNATURE_INVALID');
    });

    it('a checkpoint whose root hash was altered', async () => {
      const receipt = await log.receipt(1);
      const lines = receipt.checkpoint.split('\n');
      lines[2] = flipBase64(lines[2], 0);

      await expectFailure(check(verifierFor(), events[1], { ...receipt, checkpoint: lines.join('\n') }), 'CHECKPOINT_SIGNATURE_INVALID');
    });

    it('a checkpoint signed by a key that is not pinned, even under the same name', async () => {
      const impostor = new TestLog(testSigningKey('ledger.test'), 'ledger.test/default', API_KEY);
      impostor.append(events.map((e) => e.envelope));

      await expectFailure(check(verifierFor(), events[0], await impostor.receipt(0)), 'CHECKPOINT_UNTRUSTED');
    });

    it("a checkpoint of another tenant's log", async () => {
      const other = new TestLog(key, 'ledger.test/other', API_KEY);
      other.append(events.map((e) => e.envelope));

      await expectFailure(check(verifierFor({ origin: 'ledger.test/default' }), events[0], await other.receipt(0)), 'ORIGIN_MISMATCH');
    });

    it('an inclusion proof with one bit flipped, one hash short, or one hash too many', async () => {
      const receipt = await log.receipt(1);
      const hashes = receipt.inclusionProof.hashes;
      const variants = [[flipBase64(hashes[0], 31), ...hashes.slice(1)], hashes.slice(0, -1), [...hashes, hashes[0]]];
      for (const broken of variants) {
        await expectFailure(
          check(verifierFor(), events[1], { ...receipt, inclusionProof: { ...receipt.inclusionProof, hashes: broken } }),
          'INCLUSION_PROOF_INVALID',
        );
      }
    });

    it('a receipt whose leaf is not the entry this event became', async () => {
      const receipt = await log.receipt(1);
      const altered = outgoingEvent({ ...events[1].envelope, data: { n: 1001 } } as unknown as Record<string, unknown>);

      await expectFailure(check(verifierFor(), altered, receipt), 'LEAF_MISMATCH');
      await expectFailure(check(verifierFor(), events[1], { ...receipt, recordedAt: '2026-11-21T05:00:00.001Z' }), 'LEAF_MISMATCH');
    });

    it('a receipt for another event, or a proof for another leaf', async () => {
      const receipt = await log.receipt(1);

      await expectFailure(check(verifierFor(), events[0], receipt), 'RECEIPT_MALFORMED');
      await expectFailure(
        check(verifierFor(), events[1], { ...receipt, inclusionProof: { ...receipt.inclusionProof, leafIndex: 0 } }),
        'RECEIPT_MALFORMED',
      );
    });

    it('a checkpoint of a forked log signed by the same key', async () => {
      const verifier = verifierFor();
      expect(await check(verifier, events[2], await log.receipt(2))).toBeUndefined();
      const fork = new TestLog(key, 'ledger.test/default', API_KEY);
      const rewritten = [newEvent(10), ...events.slice(1), newEvent(11)];
      fork.append(rewritten.map((e) => e.envelope));
      serving = fork;

      await expectFailure(check(verifier, rewritten[3], await fork.receipt(3)), 'CONSISTENCY_PROOF_INVALID');
    });

    it('a checkpoint of the same size with another root, without asking for a proof', async () => {
      const verifier = verifierFor();
      expect(await check(verifier, events[2], await log.receipt(2))).toBeUndefined();
      const fork = new TestLog(key, 'ledger.test/default', API_KEY);
      const rewritten = [newEvent(10), events[1], events[2]];
      fork.append(rewritten.map((e) => e.envelope));
      serving = fork;

      await expectFailure(check(verifier, events[2], await fork.receipt(2)), 'CONSISTENCY_PROOF_INVALID');
      expect(proofsFetched).toBe(0);
    });

    it('a consistency proof with one bit flipped', async () => {
      const verifier = new ReceiptVerifier({
        anchor: { kind: 'pinned', keys: [parseVerifierKey(key.vkey)] },
        apiKey: API_KEY,
        history: new CheckpointHistory(async (from, to) => {
          const proof = log.consistencyProof(from, to);
          const hashes = proof.hashes.map((h, i) => (i === 0 ? Buffer.from(h).map((b, j) => (j === 0 ? b ^ 1 : b)) : h));
          return { ...proof, hashes };
        }),
      });
      expect(await check(verifier, events[0], await log.receipt(0, 1))).toBeUndefined();

      await expectFailure(check(verifier, events[2], await log.receipt(2, 3)), 'CONSISTENCY_PROOF_INVALID');
    });
  });

  describe('across a restart', () => {
    it('keeps the newest verified checkpoint, and a restarted verifier still detects a fork', async () => {
      let saved: TrustState | undefined;
      const first = verifierFor({ save: (s) => (saved = s) });
      expect(await check(first, events[2], await log.receipt(2))).toBeUndefined();
      expect(saved).toEqual({ origin: 'ledger.test/default', learnedKeys: undefined, checkpoint: await log.checkpoint(3) });

      const fork = new TestLog(key, 'ledger.test/default', API_KEY);
      const rewritten = [newEvent(20), newEvent(21), newEvent(22), newEvent(23)];
      fork.append(rewritten.map((e) => e.envelope));
      serving = fork;
      const restarted = verifierFor({ saved });

      const error = await check(restarted, rewritten[3], await fork.receipt(3));
      expect(error).toMatchObject({ code: 'CONSISTENCY_PROOF_INVALID' });
    });

    it('refuses a saved checkpoint that the pinned keys do not sign', async () => {
      const saved: TrustState = { origin: 'ledger.test/default', checkpoint: await log.checkpoint() };

      expect(() => verifierFor({ pinned: [testSigningKey('ledger.test').vkey], saved })).toThrow(
        expect.objectContaining({ code: 'TRUST_STATE_INVALID' }),
      );
    });
  });

  it('checks a batch sharing one checkpoint with one consistency check', async () => {
    const verifier = verifierFor();
    expect(await check(verifier, events[0], await log.receipt(0, 1))).toBeUndefined();
    const batch = [newEvent(5), newEvent(6), newEvent(7)];
    const from = log.treeSize;
    log.append(batch.map((e) => e.envelope));
    const items = await Promise.all(batch.map(async (event, i) => ({ event, receipt: await log.receipt(from + i) })));

    expect(await verifier.verify(items)).toEqual([undefined, undefined, undefined]);
    expect(proofsFetched).toBe(1);
  });
});
