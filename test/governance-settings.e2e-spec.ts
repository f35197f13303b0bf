import { uuidv7 } from '@evidence-ledger/core';
import { forensicEvents } from '@evidence-ledger/samples';
import { EventRejectedError, EXCEPTION_RESPONSE_TYPE, GOVERNANCE_SETTINGS_TYPE, LedgerClient } from '@evidence-ledger/sdk';
import { modelInvocation } from '../libs/ledger/src/testing/events';
import { sqliteHandle, StoreHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { loggedIds, producerKey, verifierKeyOf } from './fixtures/sdk-ledger';
import { call } from './support/http-client';
import { LedgerSite, newSite, RunningLedger, startLedger } from './support/ledger-server';

// Segregation of duties: the services judged by the governance settings (producer keys) cannot
// change them, in any ingest path; an admin key can, and the entry records that role, so the
// forensics tables — and a rebuild from the log alone — honour only such changes.
describe('governance settings need an admin key', () => {
  let handle: StoreHandle;
  let site: LedgerSite;
  let ledger: RunningLedger;
  let producer: string;
  let auditor: string;

  // `requiredScanKinds: []` — the change a gateway would like: merges no longer need SAST.
  const settings = () => {
    const { producerrole: _declared, ...event } = forensicEvents.settings({ id: uuidv7() }, { requiredScanKinds: [] });
    return event;
  };

  beforeAll(async () => {
    handle = sqliteHandle();
    site = newSite(handle.location);
    ledger = await startLedger(site, { LEDGER_FORENSICS_POLL_MS: '20' });
    producer = await producerKey(ledger);
    auditor = (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name: 'auditor', role: 'auditor' } })).body.key;
  });
  afterAll(async () => {
    await ledger.close();
    await handle.cleanup();
  });

  const post = (key: string, body: unknown, headers: Record<string, string> = {}) =>
    call(`${ledger.url}/v1/events`, { key, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

  it.each([
    ['one event', () => settings(), {}],
    ['a batch with a good event', () => [modelInvocation(), settings()], {}],
    ['a CloudEvents batch', () => [settings()], { 'content-type': 'application/cloudevents-batch+json' }],
    ['a structured CloudEvent', () => settings(), { 'content-type': 'application/cloudevents+json' }],
    ['a forged producerrole', () => ({ ...settings(), producerrole: 'admin' }), {}],
  ])('refuses settings from a producer key sent as %s (403), writing nothing', async (_what, body, headers) => {
    const before = (await loggedIds(ledger)).length;
    const res = await post(producer, body(), headers);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('GOVERNANCE_ROLE_REQUIRED');
    expect((await loggedIds(ledger)).length).toBe(before);
  });

  it('refuses settings in CloudEvents binary mode from a producer key', async () => {
    const e = settings();
    const res = await call(`${ledger.url}/v1/events`, {
      key: producer,
      body: JSON.stringify(e.data),
      headers: {
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-id': e.id as string,
        'ce-source': 'urn:acme:gateway',
        'ce-type': GOVERNANCE_SETTINGS_TYPE,
      },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('GOVERNANCE_ROLE_REQUIRED');
  });

  it('refuses a producerrole that is not the key’s own on any event', async () => {
    const res = await post(producer, { ...modelInvocation(), producerrole: 'admin' });
    expect(res.status).toBe(403);
    expect(res.body.errors).toEqual([{ path: 'producerrole', message: 'must be this API key\'s role ("producer") or left out' }]);
  });

  it('refuses settings recorded through the SDK with a producer key', async () => {
    const client = new LedgerClient({ url: ledger.url, apiKey: producer, source: 'urn:acme:gateway', verifierKeys: [verifierKeyOf(site)] });
    try {
      const refused = await client.record(GOVERNANCE_SETTINGS_TYPE, { requiredScanKinds: [] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(EventRejectedError);
      expect(refused).toMatchObject({ problemCode: 'GOVERNANCE_ROLE_REQUIRED', status: 403 });
    } finally {
      await client.close();
    }
  });

  it('accepts settings from an admin key, over HTTP and the SDK (whose receipt verifies), recording the key and its role', async () => {
    const posted = await post(ledger.adminKey, settings());
    expect(posted.status).toBe(201);
    const entry = await call(`${ledger.url}/v1/entries/${posted.body.sequence}`, { key: auditor });
    const adminKeyId = (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey })).body.keys.find(
      (k: { role: string }) => k.role === 'admin',
    ).id;
    expect(entry.body.entry).toMatchObject({ type: GOVERNANCE_SETTINGS_TYPE, producer: adminKeyId, producerrole: 'admin' });

    const client = new LedgerClient({
      url: ledger.url,
      apiKey: ledger.adminKey,
      source: 'urn:acme:governance',
      verifierKeys: [verifierKeyOf(site)],
    });
    try {
      const receipt = await client.record(GOVERNANCE_SETTINGS_TYPE, { deployApprovalEnvironments: ['*'] });
      expect(receipt.verified).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('refuses an exception response from a producer key (HTTP and SDK), and records one from an admin key with its role', async () => {
    const response = forensicEvents.exceptionResponse(
      { id: uuidv7() },
      {
        exception: { eventId: uuidv7(), rule: 'merged-with-failing-scan' },
        rootCause: 'gate off',
        remediation: 'gate on',
        owner: 'platform-team',
        dueDate: '2026-12-31T00:00:00Z',
        status: 'open',
      },
    );
    const { producerrole: _declared, ...undeclared } = response;
    const before = (await loggedIds(ledger)).length;
    const refused = await post(producer, undeclared);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('GOVERNANCE_ROLE_REQUIRED');
    expect(refused.body.errors).toEqual([
      { path: 'type', message: 'exception responses need an admin key; a producer key may not record them' },
    ]);
    expect((await loggedIds(ledger)).length).toBe(before);

    const data = undeclared.data as Parameters<LedgerClient['recordExceptionResponse']>[0];
    const viaProducer = new LedgerClient({
      url: ledger.url,
      apiKey: producer,
      source: 'urn:acme:gateway',
      verifierKeys: [verifierKeyOf(site)],
    });
    const viaAdmin = new LedgerClient({
      url: ledger.url,
      apiKey: ledger.adminKey,
      source: 'urn:acme:governance',
      verifierKeys: [verifierKeyOf(site)],
    });
    try {
      const sdkRefused = await viaProducer.recordExceptionResponse(data).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(sdkRefused).toMatchObject({ problemCode: 'GOVERNANCE_ROLE_REQUIRED', status: 403 });
      const receipt = await viaAdmin.recordExceptionResponse(data);
      expect(receipt.verified).toBe(true);
      const entry = await call(`${ledger.url}/v1/entries/${receipt.sequence}`, { key: auditor });
      expect(entry.body.entry).toMatchObject({ type: EXCEPTION_RESPONSE_TYPE, producerrole: 'admin' });
    } finally {
      await viaProducer.close();
      await viaAdmin.close();
    }
  });

  it('refuses producer facts from an admin key', async () => {
    const res = await post(ledger.adminKey, modelInvocation());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });
});
