import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientClosedError, EventRejectedError, InvalidOptionsError } from './errors';
import { LedgerClient } from './ledger-client';
import { LedgerClientOptions } from './client-options';
import { ScriptedLedger } from './testing/scripted-ledger';
import { TestLog, testSigningKey } from './testing/test-log';

const note = { text: 'released', n: 1 };

describe('LedgerClient', () => {
  let ledger: ScriptedLedger;
  const clients: LedgerClient[] = [];

  beforeEach(async () => {
    ledger = await ScriptedLedger.start([{ receipts: true }]);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await ledger.close();
  });

  const client = (options: Partial<LedgerClientOptions> = {}) => {
    const c = new LedgerClient({ url: ledger.url, apiKey: 'elk_test', source: 'urn:acme:test', verifyReceipts: false, ...options });
    clients.push(c);
    return c;
  };

  describe('options', () => {
    const base = { url: 'http://127.0.0.1:1', apiKey: 'elk_test', source: 'urn:acme:test', verifyReceipts: false };

    it('demands an explicit choice of trust: pinned keys, trust on first use, or no verification', () => {
      expect(() => new LedgerClient({ ...base, verifyReceipts: undefined })).toThrow(InvalidOptionsError);
      expect(
        () => new LedgerClient({ ...base, verifyReceipts: undefined, trustOnFirstUse: true, verifierKeys: [testSigningKey().vkey] }),
      ).toThrow(/trustOnFirstUse/);
      expect(() => new LedgerClient({ ...base, verifierKeys: [testSigningKey().vkey] })).toThrow(/verifyReceipts/);
      expect(() => new LedgerClient({ ...base, verifyReceipts: undefined, verifierKeys: ['ledger.test+0000+AAAA'] })).toThrow(
        /verifierKeys\[0\]/,
      );
    });

    it('names the first option that cannot work', () => {
      expect(() => new LedgerClient({ ...base, url: 'ftp://ledger' })).toThrow(/invalid option url/);
      expect(() => new LedgerClient({ ...base, apiKey: '' })).toThrow(/invalid option apiKey/);
      expect(() => new LedgerClient({ ...base, source: '' })).toThrow(/invalid option source/);
      expect(() => new LedgerClient({ ...base, actor: { kind: 'robot', id: 'x' } as never })).toThrow(/invalid option actor.kind/);
      expect(() => new LedgerClient({ ...base, maxBatchSize: 1001 })).toThrow(/invalid option maxBatchSize/);
      expect(() => new LedgerClient({ ...base, requestTimeoutMs: 0 })).toThrow(/invalid option requestTimeoutMs/);
      expect(() => new LedgerClient({ ...base, retry: { maxAttempts: 0 } })).toThrow(/invalid option retry.maxAttempts/);
      expect(() => new LedgerClient({ ...base, source: 'urn:acme:\u0000' })).toThrow(/invalid option source/);
    });

    it('refuses U+0000 in an envelope attribute before sending, as the service does', async () => {
      const c = client();
      await expect(c.record('x.acme.note', note, { changeid: 'github.com/acme/pay#1\u0000' })).rejects.toThrow(/changeid/);
      expect(ledger.requests).toEqual([]);
    });
  });

  it('sends full batches of maxBatchSize at once, and the rest when the interval ends', async () => {
    // The interval is long enough that all seven records are queued before it ends, even on a loaded machine.
    const c = client({ maxBatchSize: 3, flushIntervalMs: 250 });
    const receipts = await Promise.all(Array.from({ length: 7 }, () => c.record('x.acme.note', note)));

    expect(ledger.requests.map((r) => r.ids.length)).toEqual([3, 3, 1]);
    expect(receipts.map((r) => r.verified)).toEqual(receipts.map(() => false));
  });

  it('refuses receipts that answer other events, even with verification off', async () => {
    ledger.answer([{ receipts: true, reversed: true }]);
    const c = client({ flushIntervalMs: 60_000, onIntegrityFailure: () => undefined });
    const pending = [c.record('x.acme.note', note), c.record('x.acme.note', note)];
    await c.flush();

    for (const p of pending) await expect(p).rejects.toMatchObject({ code: 'RECEIPT_MALFORMED' });
  });

  it('gives the same pending receipt to a second record of the same event, and refuses the id with other content', async () => {
    const c = client({ flushIntervalMs: 60_000 });
    const id = '0193a0b2-7c1d-7e4f-9a2b-3c4d5e6f7a8b';
    const time = '2026-11-21T05:00:00Z';
    const first = c.record('x.acme.note', note, { id, time });
    const again = c.record('x.acme.note', note, { id: id.toUpperCase(), time });
    const other = c.record('x.acme.note', { ...note, n: 2 }, { id, time });
    await c.flush();

    expect(again).toBe(first);
    await expect(other).rejects.toBeInstanceOf(EventRejectedError);
    expect(ledger.requests.map((r) => r.ids)).toEqual([[id]]);
  });

  it('refuses events beyond maxPendingEvents until receipts come back', async () => {
    const c = client({ maxPendingEvents: 2, flushIntervalMs: 60_000 });
    const accepted = [c.record('x.acme.note', note), c.record('x.acme.note', note)];
    const refused = c.record('x.acme.note', note);

    await expect(refused).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    await c.flush();
    await Promise.all(accepted);
    const later = c.record('x.acme.note', note);
    await c.flush();
    await expect(later).resolves.toMatchObject({ alreadyRecorded: false });
  });

  it('gives up on close after shutdownTimeoutMs while the ledger is down, failing what is undelivered', async () => {
    ledger.answer([{ status: 503 }]);
    const c = client({ shutdownTimeoutMs: 200, retry: { maxAttempts: Infinity, initialDelayMs: 5, maxDelayMs: 20 } });
    const pending = c.record('x.acme.note', note);
    await pending.accepted;
    await c.close();

    await expect(pending).rejects.toBeInstanceOf(ClientClosedError);
    await expect(c.record('x.acme.note', note)).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    expect(ledger.requests.length).toBeGreaterThan(1);
  });

  it('keeps undelivered events in the spool when it closes during an outage', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'sdk-client-'));
    try {
      ledger.answer([{ status: 503 }]);
      const c = client({ spoolDir, shutdownTimeoutMs: 100, retry: { initialDelayMs: 5, maxDelayMs: 20 } });
      const pending = c.record('x.acme.note', note);
      await pending.accepted;
      await c.close();

      await expect(pending).rejects.toMatchObject({ code: 'CLIENT_CLOSED', spooled: true });
      expect(readFileSync(join(spoolDir, 'spool.jsonl'), 'utf8')).toContain(pending.id);

      ledger.answer([{ receipts: true }]);
      const next = client({ spoolDir });
      expect(next.spoolRecovery?.events.map((e) => e.id)).toEqual([pending.id]);
      await next.flush();
      expect(ledger.requests.at(-1)?.ids).toEqual([pending.id]);
      await next.close();
      expect(readFileSync(join(spoolDir, 'spool.jsonl'), 'utf8')).toBe('');
    } finally {
      rmSync(spoolDir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a spool whose trust state the pinned keys do not sign, and leaves the spool unlocked', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'sdk-client-'));
    try {
      const pinned = testSigningKey('ledger.test');
      const other = new TestLog(testSigningKey('ledger.test'));
      other.append([]);
      writeFileSync(join(spoolDir, 'trust.json'), JSON.stringify({ origin: other.origin, checkpoint: await other.checkpoint() }));
      const options = { url: ledger.url, apiKey: 'elk_test', source: 'urn:acme:test', verifierKeys: [pinned.vkey], spoolDir };

      expect(() => new LedgerClient(options)).toThrow(expect.objectContaining({ code: 'TRUST_STATE_INVALID' }));
      rmSync(join(spoolDir, 'trust.json'));
      await new LedgerClient(options).close();
    } finally {
      rmSync(spoolDir, { recursive: true, force: true });
    }
  });

  it('warns once per batch about failures nobody awaits and no hook hears', async () => {
    ledger.answer([{ status: 400, problem: { code: 'INVALID_ENVELOPE', detail: 'no' } }]);
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const c = client({ flushIntervalMs: 60_000 });
      c.record('x.acme.note', note);
      c.record('x.acme.note', note);
      await c.flush();
      await new Promise((resolve) => setImmediate(resolve));

      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]).toEqual([
        expect.stringMatching(/rejected by the ledger \(400 INVALID_ENVELOPE\).*and 1 more events/),
        { type: 'LedgerDeliveryWarning' },
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it('does not warn about a failure whose receipt is awaited right after flush()', async () => {
    ledger.answer([{ status: 400, problem: { code: 'INVALID_ENVELOPE', detail: 'no' } }]);
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const c = client({ flushIntervalMs: 60_000 });
      const pending = c.record('x.acme.note', note);
      await c.flush();
      await expect(pending).rejects.toBeInstanceOf(EventRejectedError);
      await new Promise((resolve) => setImmediate(resolve));

      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
