import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { loggedIds, producerKey, verifierKeyOf } from './fixtures/sdk-ledger';
import { ensureSdkBuilt, ProducerEnv, ProducerProcess } from './fixtures/sdk-producer-process';
import { SwitchProxy } from './fixtures/sdk-proxy';
import { newSite, startLedger } from './support/ledger-server';

// Nothing a producer was told is accepted may be lost: not when the ledger is down, not when
// the producer is killed while it is, and nothing may be recorded twice when both come back.
describe.each(STORES)('SDK spool with the ledger on %s', (_name, makeHandle) => {
  beforeAll(() => ensureSdkBuilt());

  it('delivers every accepted event exactly once across a ledger outage and a producer killed during it', async () => {
    const handle = makeHandle();
    const site = newSite(handle.location);
    const spoolDir = mkdtempSync(join(tmpdir(), 'sdk-durability-'));
    const proxy = await SwitchProxy.start();
    let ledger = await startLedger(site);
    const producers: ProducerProcess[] = [];
    try {
      proxy.pointAt(ledger.url);
      const env: ProducerEnv = {
        LEDGER_URL: proxy.url,
        LEDGER_API_KEY: await producerKey(ledger),
        LEDGER_VKEY: verifierKeyOf(site),
        SPOOL_DIR: spoolDir,
      };

      // The ledger is up: the first producer's events are delivered and verified.
      const first = ProducerProcess.start(env);
      producers.push(first);
      first.send('record 20');
      await first.until(() => first.fields('delivered').length === 20, '20 receipts');

      // The ledger goes down; the producer keeps accepting into its spool, then is killed.
      proxy.pointAt(undefined);
      await ledger.close();
      first.send('record 30');
      await first.until(() => first.fields('accepted').length === 50, '50 accepted events');
      expect(await first.kill()).toBeNull();
      const acceptedByFirst = first.fields('accepted').map(([id]) => id);

      // A new producer process on the same spool, the ledger still down: it finds exactly the
      // 30 undelivered events, and accepts more.
      const second = ProducerProcess.start(env);
      producers.push(second);
      await second.until(() => second.fields('recovered').length === 1, 'the spool was read');
      expect(second.fields('recovered')[0][0]).toBe('30');
      second.send('record 10');
      await second.until(() => second.fields('accepted').length === 10, '10 accepted events');

      // The ledger comes back (same store, same key, a new port behind the same address).
      ledger = await startLedger(site);
      proxy.pointAt(ledger.url);
      second.send('flush');
      await second.until(() => second.lines.includes('flushed'), 'the flush');
      second.send('close');
      expect(await second.exited).toBe(0);

      const accepted = [...acceptedByFirst, ...second.fields('accepted').map(([id]) => id)];
      const logged = await loggedIds(ledger);
      expect(accepted).toHaveLength(60);
      expect(new Set(accepted).size).toBe(60);
      expect([...logged].sort()).toEqual([...accepted].sort());
      expect(second.lines.filter((l) => l.startsWith('failed') || l.startsWith('integrity'))).toEqual([]);
      expect(readFileSync(join(spoolDir, 'spool.jsonl'), 'utf8')).toBe('');
    } finally {
      await Promise.all(producers.map((p) => p.kill()));
      await proxy.close();
      await ledger.close();
      await handle.cleanup();
      rmSync(spoolDir, { recursive: true, force: true });
    }
  });
});
