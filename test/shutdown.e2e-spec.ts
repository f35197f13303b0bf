import { sqliteHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { modelInvocation } from '../libs/ledger/src/testing/events';
import { call } from './support/http-client';
import { newSite, startLedger } from './support/ledger-server';

describe('graceful shutdown', () => {
  it('commits every append it acknowledged while draining, and refuses the rest with 503', async () => {
    const handle = sqliteHandle();
    const site = newSite(handle.location);
    const ledger = await startLedger(site);
    try {
      const key = (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name: 'p', role: 'producer' } })).body.key;
      const sent = Array.from({ length: 200 }, () => modelInvocation());
      const posts = sent.map((event) =>
        call(`${ledger.url}/v1/events`, { key, json: event }).catch((e: Error) => ({ status: 0, body: { message: e.message } })),
      );
      await Promise.race(posts);
      const closing = ledger.close();
      const results = await Promise.all(posts);
      await closing;
      expect(results.every((r) => [0, 201, 503].includes(r.status))).toBe(true);
      const acknowledged = sent.filter((_, i) => results[i].status === 201).map((e) => e.id as string);
      expect(acknowledged.length).toBeGreaterThan(0);

      const again = await startLedger(site);
      try {
        const found = await again.runtime.store.findByIds('default', acknowledged);
        expect(found).toHaveLength(acknowledged.length);
      } finally {
        await again.close();
      }
    } finally {
      await handle.cleanup();
    }
  });
});
