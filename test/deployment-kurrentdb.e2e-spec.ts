import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVerifierKey, verifyLogStream } from '@evidence-ledger/core';
import { issueApiKey } from '@evidence-ledger/ledger';
import { InMemoryKurrentDb } from '../libs/store/src/kurrentdb/testing/in-memory-kurrentdb';
import { modelInvocation } from '../libs/ledger/src/testing/events';
import { call } from './support/http-client';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';

// The service deployed on a KurrentDB store (LEDGER_STORE=kurrentdb://…), two instances
// sharing one KurrentDB and one credential store, as in a scaled-out deployment. KurrentDB is
// the in-memory model of the client (libs/store/src/kurrentdb/testing/): this shows the
// service and the adapter working together, not a real server (docs/kurrentdb.md).
const mockKurrentDb = new InMemoryKurrentDb();
jest.mock('../libs/store/src/kurrentdb/kurrentdb-connection', () => ({ connectKurrentDb: async () => mockKurrentDb.connect() }));

describe('the service on a KurrentDB store', () => {
  let dir: string;
  let a: RunningLedger;
  let b: RunningLedger;
  let producer: string;
  let auditor: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-kurrentdb-service-'));
    const site = newSite(`kurrentdb://localhost:2113?tls=false&credentialStore=sqlite:${join(dir, 'credentials.db')}`);
    a = await startLedger(site);
    b = await startLedger(site);
    producer = (await issueApiKey(a.runtime.store, { tenant: 'default', name: 'gateway', role: 'producer' })).key;
    auditor = (await issueApiKey(a.runtime.store, { tenant: 'default', name: 'auditor', role: 'auditor' })).key;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps one verifiable chain while two instances take posts at once, and answers retries with the original receipt', async () => {
    const bodies = Array.from({ length: 40 }, () => modelInvocation());
    const posted = await Promise.all(bodies.map((json, i) => call(`${(i % 2 ? a : b).url}/v1/events`, { key: producer, json })));
    expect(posted.map((r) => r.status)).toEqual(bodies.map(() => 201));
    expect(posted.map((r) => r.body.sequence).sort((x, y) => x - y)).toEqual(bodies.map((_, i) => i));

    const retried = await call(`${a.url}/v1/events`, { key: producer, json: bodies[1] });
    expect(retried.status).toBe(200);
    expect(retried.body.sequence).toBe(posted[1].body.sequence);

    const vkey = (await call(`${a.url}/v1/public-keys`, { key: auditor })).body.keys[0].verifierKey;
    const report = await verifyLogStream(b.runtime.store.readEntries('default', 0), b.runtime.store.readCheckpoints('default'), {
      trusted: [parseVerifierKey(vkey)],
      tenant: 'default',
    });
    expect(report).toMatchObject({ ok: true, entries: 40 });
  });

  it('fills the forensics tables from the KurrentDB log', async () => {
    let changes: { events: number }[] = [];
    for (let i = 0; i < 100 && changes[0]?.events !== 40; i++) {
      changes = (await call(`${a.url}/v1/changes`, { key: auditor })).body.changes ?? [];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(changes).toEqual([expect.objectContaining({ changeId: 'github.com/acme/pay#482', events: 40 })]);
  });

  it('reports the store as KurrentDB on /health', async () => {
    const health = await call(`${b.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body.info.store).toEqual({ kind: 'kurrentdb', status: 'up' });
  });
});
