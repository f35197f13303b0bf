import { LedgerClient, LedgerClientOptions, LedgerIntegrityError } from '@evidence-ledger/sdk';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteHandle, StoreHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { FULL_CATALOG_DATA } from './fixtures/sdk-catalog-data';
import { loggedIds, producerKey, verifierKeyOf } from './fixtures/sdk-ledger';
import { SwitchProxy, TamperingProxy } from './fixtures/sdk-proxy';
import { LedgerSite, newSite, RunningLedger, startLedger } from './support/ledger-server';

const scan = () => FULL_CATALOG_DATA['scan.completed']();

// A producer must notice by itself when the ledger — or anything between them — lies: an
// altered checkpoint or receipt, a history rewritten under the same signing key, a rollback.
describe('LedgerClient detects a rewritten or forked log', () => {
  const handles: StoreHandle[] = [];
  const ledgers: RunningLedger[] = [];
  const closers: (() => Promise<void>)[] = [];
  let apiKey: string;
  let site: LedgerSite;
  let ledger: RunningLedger;

  const start = async (s: LedgerSite) => {
    const running = await startLedger(s);
    ledgers.push(running);
    await producerKey(running, apiKey);
    return running;
  };
  // Another ledger on its own store with the same signing key and origin: a forked history
  // that the key signs just as well.
  const fork = () => {
    const handle = sqliteHandle();
    handles.push(handle);
    return start({ ...site, store: handle.location });
  };
  const clientOn = (url: string, options: Partial<LedgerClientOptions> = {}) => {
    const c = new LedgerClient({ url, apiKey, source: 'urn:acme:ci', verifierKeys: [verifierKeyOf(site)], ...options });
    closers.push(() => c.close());
    return c;
  };
  const failureOf = (p: PromiseLike<unknown>) =>
    Promise.resolve(p).then(
      () => undefined,
      (e: unknown) => e as LedgerIntegrityError,
    );

  beforeEach(async () => {
    apiKey = `elk_${randomBytes(32).toString('base64url')}`;
    const handle = sqliteHandle();
    handles.push(handle);
    site = newSite(handle.location);
    ledger = await start(site);
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    for (const l of ledgers.splice(0)) await l.close();
    for (const h of handles.splice(0)) await h.cleanup();
  });

  describe('in transit', () => {
    let proxy: TamperingProxy;
    beforeEach(async () => {
      proxy = await TamperingProxy.start(ledger.url);
      closers.push(() => proxy.close());
    });

    // Rewrites the receipts of POST /v1/events.
    const tamperReceipts = (change: (receipt: Record<string, unknown>) => void) => {
      proxy.tamper = (path, body) => {
        if (path !== '/v1/events') return body;
        const receipts = JSON.parse(body.toString('utf8')) as Record<string, unknown>[];
        receipts.forEach(change);
        return Buffer.from(JSON.stringify(receipts));
      };
    };

    it('refuses a checkpoint with one byte of its root hash flipped, and reports it once', async () => {
      tamperReceipts((r) => {
        const lines = (r.checkpoint as string).split('\n');
        lines[2] = `${lines[2][0] === 'A' ? 'B' : 'A'}${lines[2].slice(1)}`;
        r.checkpoint = lines.join('\n');
      });
      const reported: LedgerIntegrityError[] = [];
      const c = clientOn(proxy.url, { onIntegrityFailure: (e) => reported.push(e), flushIntervalMs: 60_000 });
      const pending = [c.recordScan(scan()), c.recordScan(scan())];
      await c.flush();

      for (const p of pending) {
        const error = await failureOf(p);
        expect(error).toBeInstanceOf(LedgerIntegrityError);
        expect(error).toMatchObject({ code: 'CHECKPOINT_SIGNATURE_INVALID' });
      }
      expect(reported.map((e) => e.code)).toEqual(['CHECKPOINT_SIGNATURE_INVALID']);
      expect(await loggedIds(ledger)).toEqual(pending.map((p) => p.id));
    });

    it('refuses a receipt whose inclusion proof was altered', async () => {
      tamperReceipts((r) => {
        const proof = r.inclusionProof as { hashes: string[] };
        proof.hashes[0] = Buffer.alloc(32, 7).toString('base64');
      });
      const c = clientOn(proxy.url, { flushIntervalMs: 60_000, onIntegrityFailure: () => undefined });
      const pending = [c.recordScan(scan()), c.recordScan(scan())];
      await c.flush();

      expect(await failureOf(pending[0])).toMatchObject({ code: 'INCLUSION_PROOF_INVALID' });
    });

    it("refuses a receipt that points at another entry's leaf", async () => {
      const c = clientOn(proxy.url, { onIntegrityFailure: () => undefined });
      await c.recordScan(scan());
      tamperReceipts((r) => {
        r.sequence = 0;
        r.leafHash = r.chainHash;
      });
      expect(await failureOf(c.recordScan(scan()))).toMatchObject({ code: 'RECEIPT_MALFORMED' });
      tamperReceipts((r) => (r.recordedAt = '2000-01-01T00:00:00.000Z'));
      expect(await failureOf(c.recordScan(scan()))).toMatchObject({ code: 'LEAF_MISMATCH' });
    });
  });

  describe('a history forked under the same signing key', () => {
    it('is refused when the other history is longer: its consistency proof fails', async () => {
      const proxy = await SwitchProxy.start();
      closers.push(() => proxy.close());
      proxy.pointAt(ledger.url);
      const c = clientOn(proxy.url, { onIntegrityFailure: () => undefined });
      for (let i = 0; i < 5; i++) await c.recordScan(scan());

      const other = await fork();
      const elsewhere = clientOn(other.url);
      await Promise.all(Array.from({ length: 9 }, () => elsewhere.recordScan(scan())));
      proxy.pointAt(other.url);

      const error = await failureOf(c.recordScan(scan()));
      expect(error).toBeInstanceOf(LedgerIntegrityError);
      expect(error).toMatchObject({ code: 'CONSISTENCY_PROOF_INVALID' });
    });

    it('is refused when the other history is shorter: the ledger cannot prove what it signed before', async () => {
      const proxy = await SwitchProxy.start();
      closers.push(() => proxy.close());
      proxy.pointAt(ledger.url);
      const c = clientOn(proxy.url, { onIntegrityFailure: () => undefined });
      // One batch, so the only checkpoint the client has seen is the one of 6 entries.
      await Promise.all(Array.from({ length: 6 }, () => c.recordScan(scan())));

      const other = await fork();
      proxy.pointAt(other.url);

      expect(await failureOf(c.recordScan(scan()))).toMatchObject({ code: 'CONSISTENCY_PROOF_REFUSED' });
    });

    it('is refused by a restarted producer, from the checkpoint kept in its spool directory', async () => {
      const spoolDir = mkdtempSync(join(tmpdir(), 'sdk-fork-'));
      closers.push(async () => rmSync(spoolDir, { recursive: true, force: true }));
      const before = new LedgerClient({ url: ledger.url, apiKey, source: 'urn:acme:ci', verifierKeys: [verifierKeyOf(site)], spoolDir });
      await Promise.all([0, 1, 2].map(() => before.recordScan(scan())));
      await before.close();

      const other = await fork();
      await Promise.all(Array.from({ length: 5 }, () => clientOn(other.url).recordScan(scan())));
      const after = clientOn(other.url, { spoolDir, onIntegrityFailure: () => undefined });

      expect(await failureOf(after.recordScan(scan()))).toMatchObject({ code: 'CONSISTENCY_PROOF_INVALID' });
    });
  });

  it('refuses the checkpoints of a ledger that signs with another key', async () => {
    const impostorHandle = sqliteHandle();
    handles.push(impostorHandle);
    const impostor = await start(newSite(impostorHandle.location));
    const c = clientOn(impostor.url, { onIntegrityFailure: () => undefined });

    expect(await failureOf(c.recordScan(scan()))).toMatchObject({ code: 'CHECKPOINT_UNTRUSTED' });
  });
});
