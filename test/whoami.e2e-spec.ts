import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from './support/http-client';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';

// GET /v1/whoami: what a key is, for a client deciding what to offer (the console's sign-in).
describe('GET /v1/whoami', () => {
  let ledger: RunningLedger;
  beforeAll(async () => {
    ledger = await startLedger(newSite(`sqlite:${join(mkdtempSync(join(tmpdir(), 'whoami-')), 'ledger.db')}`));
  });
  afterAll(() => ledger?.close());

  const keyIdOf = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 16);

  it('tells any valid key its tenant, role and key id', async () => {
    for (const role of ['producer', 'auditor', 'admin']) {
      const key = (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name: role, role } })).body.key as string;
      const res = await call(`${ledger.url}/v1/whoami`, { key });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ tenant: 'default', role, keyId: keyIdOf(key) });
    }
    expect((await call(`${ledger.url}/v1/whoami`, { key: ledger.adminKey })).body).toEqual({
      tenant: 'default',
      role: 'admin',
      keyId: keyIdOf(ledger.adminKey),
    });
  });

  it('refuses a wrong key and no key alike', async () => {
    expect((await call(`${ledger.url}/v1/whoami`, { key: 'elk_wrong' })).body.code).toBe('UNAUTHENTICATED');
    expect((await call(`${ledger.url}/v1/whoami`)).status).toBe(401);
  });
});
