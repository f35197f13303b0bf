import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Receipt } from '@evidence-ledger/core';
import { issueApiKey } from '@evidence-ledger/ledger';
import { StoreHandle, STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { foreignEventId } from '../apps/ledger/src/integrations/foreign-event-id';
import { OPA_DOCS_DECISION_LOG_UPLOAD, OPA_DOCS_MASKED_DECISION } from './fixtures/opa-decision-logs';
import { receiptVerifies } from './integrations-receipts';
import { call, HttpResult } from './support/http-client';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';

// A decision as an OPA merge gate would log it, with a fresh decision id.
function gateDecision(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    labels: { id: 'opa-gate-1', version: '1.4.0' },
    decision_id: randomUUID(),
    bundles: { gate: { revision: 'rev-42' } },
    path: 'ai/merge_gate/allow',
    input: { change: { id: 'github.com/acme/pay#482' }, user: { email: 'alice@acme.com' } },
    result: { allow: false, violated_rules: ['require_security_review'] },
    timestamp: '2026-07-02T10:00:00.123456Z',
    ...overrides,
  };
}

describe.each(STORES)('OPA decision logs on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let ledger: RunningLedger;
  let opaKey: string;
  let auditorKey: string;
  let globexOpaKey: string;
  let vkey: string;

  const upload = (body: unknown, opts: { key?: string; gzip?: boolean; headers?: Record<string, string> } = {}): Promise<HttpResult> => {
    const json = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const gzip = opts.gzip ?? true;
    return call(`${ledger.url}/v1/ingest/opa/logs`, {
      key: opts.key ?? opaKey,
      body: gzip ? gzipSync(json) : json,
      headers: { 'content-type': 'application/json', ...(gzip && { 'content-encoding': 'gzip' }), ...opts.headers },
    });
  };
  const treeSize = async (tenant = 'default') => (await ledger.runtime.store.head(tenant)).treeSize;
  const entry = async (sequence: number) => (await call(`${ledger.url}/v1/entries/${sequence}`, { key: auditorKey })).body;

  beforeAll(async () => {
    handle = makeHandle();
    ledger = await startLedger(newSite(handle.location));
    const key = async (json: unknown) => (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json })).body.key as string;
    opaKey = await key({ name: 'opa', role: 'producer', sourcePrefix: 'urn:opa' });
    auditorKey = await key({ name: 'auditor', role: 'auditor' });
    await ledger.runtime.store.createTenant('globex');
    globexOpaKey = (await issueApiKey(ledger.runtime.store, { tenant: 'globex', name: 'opa', role: 'producer' })).key;
    vkey = (await call(`${ledger.url}/v1/public-keys`, { key: auditorKey })).body.keys[0].verifierKey;
  });
  afterAll(async () => {
    await ledger.close();
    await handle.cleanup();
  });

  it("records the decision-log example from OPA's documentation, gzip-compressed as OPA uploads it", async () => {
    const res = await upload(OPA_DOCS_DECISION_LOG_UPLOAD);
    expect(res.status).toBe(201);
    expect(res.body.ignored).toEqual([]);
    const [receipt] = res.body.receipts as Receipt[];
    expect(receipt.id).toBe(foreignEventId('opa.decision', '4ca636c1-55e4-417a-b1d8-4aceb67960d1'));
    const stored = await entry(receipt.sequence);
    expect(receiptVerifies(vkey, receipt, Buffer.from(stored.canonical, 'base64'))).toBe(true);
    expect(stored.entry).toMatchObject({
      type: 'policy.decision.recorded',
      source: 'urn:opa:1780d507-aea2-45cc-ae50-fa153c8e4a5a',
      time: '2018-01-01T00:00:00.000000Z',
      engineversion: 'v1.17.1',
      data: {
        engine: 'opa',
        policyId: 'http/example/authz/allow',
        policyVersion: 'W3sibCI6InN5cy9jYXRhbG9nIiwicyI6NDA3MX1d',
        decision: 'allow',
        violatedRules: [],
        decisionId: '4ca636c1-55e4-417a-b1d8-4aceb67960d1',
      },
    });
    // The input (a salary lookup) and the caller's address never reach the log.
    const bytes = Buffer.from(stored.canonical, 'base64').toString('utf8');
    expect(bytes).not.toContain('salary');
    expect(bytes).not.toContain('59943');
  });

  it('answers a re-upload with the original receipts and writes nothing', async () => {
    const batch = [gateDecision(), gateDecision()];
    const first = await upload(batch);
    expect(first.status).toBe(201);
    const size = await treeSize();
    const again = await upload(batch);
    expect(again.status).toBe(200);
    expect(again.body.receipts).toEqual(first.body.receipts);
    expect(await treeSize()).toBe(size);
  });

  it("flags a decision whose input OPA's masking policy redacted", async () => {
    const res = await upload([OPA_DOCS_MASKED_DECISION]);
    expect(res.status).toBe(201);
    expect((await entry(res.body.receipts[0].sequence)).entry).toMatchObject({
      inputredacted: true,
      data: { policyId: 'system/main', decision: 'allow', policyVersion: 'unversioned' },
    });
  });

  it('files decisions under the change named in the input, when OPA is configured to say where', async () => {
    const res = await upload([gateDecision()], { headers: { 'x-ledger-changeid-path': 'change.id' } });
    expect(res.status).toBe(201);
    const listed = await call(
      `${ledger.url}/v1/entries?changeid=${encodeURIComponent('github.com/acme/pay#482')}&type=policy.decision.recorded`,
      {
        key: auditorKey,
      },
    );
    expect(listed.body.entries.map((e: { sequence: number }) => e.sequence)).toContain(res.body.receipts[0].sequence);
  });

  it('accepts plain JSON, and records what it can while listing the decisions it passed over', async () => {
    const res = await upload(
      [gateDecision({ result: ['not', 'a', 'verdict'] }), gateDecision(), gateDecision({ path: undefined, query: 'x = 1' })],
      {
        gzip: false,
      },
    );
    expect(res.status).toBe(201);
    expect(res.body.receipts).toHaveLength(1);
    expect(res.body.ignored.map((i: { index: number }) => i.index)).toEqual([0, 2]);
  });

  it('answers 202 and writes nothing when no decision is an allow/deny decision', async () => {
    const before = await treeSize();
    const res = await upload([gateDecision({ result: 42 })]);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ receipts: [], ignored: [{ index: 0, reason: expect.any(String) }] });
    expect(await treeSize()).toBe(before);
  });

  it("keeps each tenant's decisions in its own log, whatever the upload says", async () => {
    const decision = gateDecision({ tenant: 'default' });
    const [acme, globexBefore] = [await treeSize(), await treeSize('globex')];
    const res = await upload([decision], { key: globexOpaKey });
    expect(res.status).toBe(201);
    expect(res.body.receipts[0].checkpoint.split('\n')[0]).toBe('ledger.test/globex');
    expect(await treeSize()).toBe(acme);
    expect(await treeSize('globex')).toBe(globexBefore + 1);
  });

  describe('bad input', () => {
    const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    it.each<[string, () => Promise<HttpResult>, number, string]>([
      [
        'a gzip bomb (17 MiB of zeros in 17 KiB)',
        () =>
          call(`${ledger.url}/v1/ingest/opa/logs`, {
            key: opaKey,
            body: gzipSync(Buffer.alloc(17 * 1024 * 1024)),
            headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          }),
        413,
        'BATCH_TOO_LARGE',
      ],
      [
        'a compressed body over 5 MiB',
        () =>
          call(`${ledger.url}/v1/ingest/opa/logs`, {
            key: opaKey,
            body: Buffer.alloc(5 * 1024 * 1024 + 1, 1),
            headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          }),
        413,
        'BATCH_TOO_LARGE',
      ],
      ['more than 1000 decisions', () => upload(Array.from({ length: 1001 }, () => gateDecision())), 413, 'BATCH_TOO_LARGE'],
      ['malformed JSON', () => upload('[{"decision_id": '), 400, 'INVALID_JSON'],
      [
        'a body that is not gzip',
        () =>
          call(`${ledger.url}/v1/ingest/opa/logs`, {
            key: opaKey,
            body: JSON.stringify([gateDecision()]),
            headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
          }),
        400,
        'INVALID_ENCODING',
      ],
      ['an object instead of an array', () => upload(gateDecision()), 400, 'INVALID_ENVELOPE'],
      ['an empty array', () => upload([]), 400, 'EMPTY_BATCH'],
      ['a decision without decision_id', () => upload([gateDecision(), gateDecision({ decision_id: undefined })]), 400, 'INVALID_ENVELOPE'],
      ['a decision id of 10,000 characters', () => upload([gateDecision({ decision_id: 'x'.repeat(10_000) })]), 400, 'INVALID_ENVELOPE'],
      [
        'an input nested 100,000 levels deep',
        () => upload(`[${JSON.stringify(gateDecision({ input: null })).replace('"input":null', `"input":${deep(100_000)}`)}]`),
        400,
        'INVALID_ENVELOPE',
      ],
      [
        'a hostile change-id path header',
        () => upload([gateDecision()], { headers: { 'x-ledger-changeid-path': '__proto__..constructor' } }),
        400,
        'INVALID_ENVELOPE',
      ],
      [
        'a deflate body',
        () => upload([gateDecision()], { gzip: false, headers: { 'content-encoding': 'deflate' } }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      ['no API key', () => upload([gateDecision()], { key: '' }), 401, 'UNAUTHENTICATED'],
      ['an auditor key', () => upload([gateDecision()], { key: auditorKey }), 403, 'FORBIDDEN'],
      ['an admin key', () => upload([gateDecision()], { key: ledger.adminKey }), 403, 'FORBIDDEN'],
    ])('refuses %s with a problem and writes nothing', async (_what, send, status, code) => {
      const [acme, globex] = [await treeSize(), await treeSize('globex')];
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body.code).toBe(code);
      expect([await treeSize(), await treeSize('globex')]).toEqual([acme, globex]);
    });

    it('names every malformed decision by its place in the upload, writing none of the batch', async () => {
      const before = await treeSize();
      const res = await upload([gateDecision(), gateDecision({ timestamp: 'yesterday' }), 7]);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['[1].timestamp', '[2]']);
      expect(await treeSize()).toBe(before);
    });

    it("refuses decisions outside the key's source prefix", async () => {
      const scanner = (
        await call(`${ledger.url}/v1/api-keys`, {
          key: ledger.adminKey,
          json: { name: 's', role: 'producer', sourcePrefix: 'urn:acme:scanner' },
        })
      ).body.key as string;
      const before = await treeSize();
      const res = await upload([gateDecision()], { key: scanner });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('SOURCE_NOT_ALLOWED');
      expect(await treeSize()).toBe(before);
    });
  });
});
