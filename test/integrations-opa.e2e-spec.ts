import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Receipt } from '@evidence-ledger/core';
import { issueApiKey } from '@evidence-ledger/ledger';
import { StoreHandle, STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { foreignEventId } from '../apps/ledger/src/integrations/foreign-event-id';
import { MALFORMED_DECISION } from '../apps/ledger/src/integrations/opa/policy-decision.mapper';
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

  it('answers a re-upload after the log grew with the original entries, proven by the latest checkpoint', async () => {
    const batch = [gateDecision()];
    const first = (await upload(batch)).body.receipts[0] as Receipt;
    expect((await upload([gateDecision(), gateDecision()])).status).toBe(201);
    const again = await upload(batch);
    expect(again.status).toBe(200);
    const retried = again.body.receipts[0] as Receipt;
    // The entry's own fields are the original ones…
    const own = ({ id, sequence, leafHash, chainHash, recordedAt }: Receipt) => ({ id, sequence, leafHash, chainHash, recordedAt });
    expect(own(retried)).toEqual(own(first));
    // …the checkpoint and the inclusion proof are the latest: a larger tree, which still includes it.
    expect(retried.inclusionProof.treeSize).toBeGreaterThan(first.inclusionProof.treeSize);
    expect(retried.checkpoint).not.toBe(first.checkpoint);
    expect(receiptVerifies(vkey, retried, Buffer.from((await entry(first.sequence)).canonical, 'base64'))).toBe(true);
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

  // OPA re-sends an upload that is not answered 2xx, forever: one decision the ledger cannot
  // record must never hold back the others.
  describe('decisions that cannot be recorded', () => {
    const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

    it('records the others and lists each malformed decision with every field at fault, by its place', async () => {
      const before = await treeSize();
      const nested = JSON.stringify(gateDecision({ input: null })).replace('"input":null', `"input":${deep(100_000)}`);
      const text = `[${[
        JSON.stringify(gateDecision()),
        JSON.stringify(gateDecision({ timestamp: 'yesterday' })),
        '7',
        JSON.stringify(gateDecision({ decision_id: undefined })),
        JSON.stringify(gateDecision({ decision_id: 'x'.repeat(10_000) })),
        nested,
        JSON.stringify(gateDecision()),
      ].join(',')}]`;
      const res = await upload(text);
      expect(res.status).toBe(201);
      expect(res.body.receipts).toHaveLength(2);
      expect(await treeSize()).toBe(before + 2);
      expect(res.body.ignored).toEqual([
        { index: 1, reason: MALFORMED_DECISION, errors: [{ path: '[1].timestamp', message: 'must be an RFC 3339 timestamp' }] },
        { index: 2, reason: MALFORMED_DECISION, errors: [{ path: '[2]', message: 'must be a JSON object (an OPA decision log event)' }] },
        { index: 3, reason: MALFORMED_DECISION, errors: [{ path: '[3].decision_id', message: 'is required' }] },
        { index: 4, reason: MALFORMED_DECISION, errors: [{ path: '[4].decision_id', message: 'must be at most 256 characters' }] },
        { index: 5, reason: MALFORMED_DECISION, errors: [{ path: '[5].input', message: 'is nested too deeply to digest' }] },
      ]);
    });

    it('answers 202, writing nothing, when no decision of the upload can be recorded', async () => {
      const before = await treeSize();
      const res = await upload([gateDecision({ decision_id: undefined })]);
      expect(res.status).toBe(202);
      expect(res.body.ignored).toEqual([
        { index: 0, reason: MALFORMED_DECISION, errors: [{ path: '[0].decision_id', message: 'is required' }] },
      ]);
      expect(await treeSize()).toBe(before);
    });

    it('records violated_rules that are objects, numbers or more than 256 entries, with the rest of the upload', async () => {
      const many = Array.from({ length: 300 }, (_, i) => `rule_${i}`);
      const res = await upload([
        gateDecision({ result: { allow: false, violated_rules: [{ id: 'require_review', msg: 'needs a reviewer' }, 42] } }),
        gateDecision({ result: { allow: false, violated_rules: many } }),
        gateDecision(),
      ]);
      expect(res.status).toBe(201);
      expect(res.body.ignored).toEqual([]);
      const [objects, truncated, plain] = await Promise.all(res.body.receipts.map((r: Receipt) => entry(r.sequence)));
      expect(objects.entry.data.violatedRules).toEqual(['{"id":"require_review","msg":"needs a reviewer"}', '42']);
      expect(truncated.entry.data.violatedRules).toEqual(many.slice(0, 256));
      expect(truncated.entry.violatedrulecount).toBe(300);
      expect(plain.entry.data.violatedRules).toEqual(['require_security_review']);
      for (const [i, stored] of [objects, truncated, plain].entries()) {
        expect(receiptVerifies(vkey, res.body.receipts[i], Buffer.from(stored.canonical, 'base64'))).toBe(true);
      }
    });

    it('records the others when a decision_id is already recorded with different content, listing it', async () => {
      const recorded = gateDecision();
      expect((await upload([recorded])).status).toBe(201);
      const before = await treeSize();
      const res = await upload([gateDecision(), { ...recorded, result: { allow: true } }, gateDecision()]);
      expect(res.status).toBe(201);
      expect(res.body.receipts).toHaveLength(2);
      expect(res.body.ignored).toEqual([
        { index: 1, reason: 'its decision_id is already recorded with different content; not recorded again' },
      ]);
      expect(await treeSize()).toBe(before + 2);
    });
  });

  it('digests an input with integers beyond 2^53 exactly as written, as its holder recomputes it from the text', async () => {
    // The input as the service that asked OPA holds it, with an account number no double holds.
    const inputText = '{"user": {"name": "alice"}, "account": 12345678901234567891, "limits": [9007199254740993, 1.50]}';
    const decisionId = randomUUID();
    const text = `[{"decision_id": "${decisionId}", "path": "bank/allow", "result": true, "timestamp": "2026-07-02T10:00:00Z", "input": ${inputText}}]`;
    const res = await upload(text);
    expect(res.status).toBe(201);
    // RFC 8785 by hand: members sorted, no whitespace, 1.50 as 1.5, the big integers' digits kept.
    const canonical = '{"account":12345678901234567891,"limits":[9007199254740993,1.5],"user":{"name":"alice"}}';
    const stored = await entry(res.body.receipts[0].sequence);
    expect(stored.entry.data.inputDigest).toBe(`sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`);
  });

  describe('bad input', () => {
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
