import { createHmac, randomUUID } from 'node:crypto';
import { Receipt } from '@evidence-ledger/core';
import { issueApiKey } from '@evidence-ledger/ledger';
import { StoreHandle, STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { exampleName, octokitExamples, OctokitExample, variantOf } from '../apps/ledger/src/integrations/github/testing/octokit-examples';
import { receiptVerifies } from './integrations-receipts';
import { call, HttpResult } from './support/http-client';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';

const HANDLED = ['pull_request', 'pull_request_review', 'push', 'deployment_status'];

// What GitHub's documentation says each delivery means, written out independently of the
// adapter: the catalog type it should become, or undefined when nothing is recorded.
function expectedType({ event, payload }: OctokitExample): string | undefined {
  const p = payload as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (event === 'pull_request') {
    if (p.action === 'opened') return 'change.opened';
    if (p.action === 'synchronize') return 'change.committed';
    if (p.action === 'closed' && p.pull_request.merged) return 'change.merged';
  }
  if (event === 'pull_request_review' && p.action === 'submitted' && ['approved', 'changes_requested'].includes(p.review.state)) {
    return 'review.decision.recorded';
  }
  if (event === 'push' && p.ref.startsWith('refs/heads/') && !p.deleted && p.commits.length > 0) return 'change.committed';
  if (event === 'deployment_status' && p.deployment_status.state === 'success') return 'deployment.completed';
  return undefined;
}

describe.each(STORES)('GitHub webhooks on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let ledger: RunningLedger;
  let secret: string;
  let globexSecret: string;
  let auditorKey: string;
  let producerKey: string;
  let vkey: string;

  const treeSize = async (tenant = 'default') => (await ledger.runtime.store.head(tenant)).treeSize;
  const sign = (body: string | Buffer, key = secret) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
  const deliver = (
    event: string,
    payload: unknown,
    opts: { tenant?: string; key?: string; delivery?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult> => {
    const body = opts.body ?? JSON.stringify(payload);
    const query = opts.tenant === undefined ? '?tenant=default' : opts.tenant === '' ? '' : `?tenant=${opts.tenant}`;
    return call(`${ledger.url}/v1/ingest/github${query}`, {
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': opts.delivery ?? randomUUID(),
        'x-hub-signature-256': sign(body, opts.key ?? secret),
        'user-agent': 'GitHub-Hookshot/test',
        ...opts.headers,
      },
    });
  };
  const setSecret = (key: string, json: unknown = {}) => call(`${ledger.url}/v1/integrations/github/secret`, { method: 'PUT', key, json });
  const example = (event: string, action?: string) =>
    octokitExamples([event]).find((e) => e.variant === 'api.github.com' && (action === undefined || e.payload.action === action))!.payload;

  beforeAll(async () => {
    handle = makeHandle();
    ledger = await startLedger(newSite(handle.location));
    const key = async (json: unknown) => (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json })).body.key as string;
    auditorKey = await key({ name: 'auditor', role: 'auditor' });
    producerKey = await key({ name: 'producer', role: 'producer' });
    secret = (await setSecret(ledger.adminKey)).body.secret;
    await ledger.runtime.store.createTenant('globex');
    const globexAdmin = (await issueApiKey(ledger.runtime.store, { tenant: 'globex', name: 'admin', role: 'admin' })).key;
    globexSecret = (await setSecret(globexAdmin)).body.secret;
    vkey = (await call(`${ledger.url}/v1/public-keys`, { key: auditorKey })).body.keys[0].verifierKey;
  });
  afterAll(async () => {
    await ledger.close();
    await handle.cleanup();
  });

  describe.each(octokitExamples(HANDLED).map((e) => [exampleName(e), e] as const))('the octokit example %s', (_n, e) => {
    it('is recorded as the event GitHub means by it, or answered 202 with nothing written', async () => {
      const before = await treeSize();
      const res = await deliver(e.event, e.payload);
      const type = expectedType(e);
      if (type === undefined) {
        expect(res.status).toBe(202);
        expect(res.body.receipts).toEqual([]);
        expect(await treeSize()).toBe(before);
        return;
      }
      expect(res.status).toBe(201);
      const [receipt] = res.body.receipts as Receipt[];
      const stored = (await call(`${ledger.url}/v1/entries/${receipt.sequence}`, { key: auditorKey })).body;
      expect(receiptVerifies(vkey, receipt, Buffer.from(stored.canonical, 'base64'))).toBe(true);
      expect(stored.entry).toMatchObject({ type, tenant: 'default', producer: 'github-webhook' });
    });
  });

  // Every example of every event GitHub sends (726 payloads, event names such as
  // projects_v2_item included), each signed and posted with its own X-GitHub-Event: the
  // documented answer, never a 4xx or 5xx that would make GitHub mark the delivery failed.
  it('answers every octokit example of every event as documented', async () => {
    const examples = octokitExamples();
    expect(new Set(examples.map((e) => e.event)).size).toBeGreaterThan(60);
    const wrong: string[] = [];
    for (const e of examples) {
      const res = await deliver(e.event, e.payload);
      const expected = e.event === 'ping' ? 200 : expectedType(e) === undefined ? 202 : 201;
      if (res.status !== expected) wrong.push(`${exampleName(e)}: ${res.status} ${res.body?.code ?? ''} (expected ${expected})`);
      else if (expected === 202 && res.body.receipts.length !== 0) wrong.push(`${exampleName(e)}: 202 with receipts`);
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    [
      'a merged pull request',
      'pull_request',
      () => variantOf(example('pull_request', 'closed'), (p) => (p.pull_request.merged = true)),
      'change.merged',
    ],
    [
      'an approving review',
      'pull_request_review',
      () => variantOf(example('pull_request_review'), (p) => (p.review.state = 'approved')),
      'review.decision.recorded',
    ],
    [
      'a review requesting changes',
      'pull_request_review',
      () => variantOf(example('pull_request_review'), (p) => (p.review.state = 'changes_requested')),
      'review.decision.recorded',
    ],
  ])('records %s (an octokit example, changed as GitHub would send it)', async (_what, event, payload, type) => {
    const res = await deliver(event, payload());
    expect(res.status).toBe(201);
    const stored = (await call(`${ledger.url}/v1/entries/${res.body.receipts[0].sequence}`, { key: auditorKey })).body;
    expect(stored.entry).toMatchObject({ type, changeid: 'github.com/codertocat/hello-world#2' });
  });

  it('puts the PR events on one timeline under repository#number', async () => {
    const listed = await call(`${ledger.url}/v1/entries?changeid=${encodeURIComponent('github.com/codertocat/hello-world#2')}&limit=1000`, {
      key: auditorKey,
    });
    const types = new Set(listed.body.entries.map((e: { entry: { type: string } }) => e.entry.type));
    expect([...types].sort()).toEqual(['change.committed', 'change.merged', 'change.opened', 'review.decision.recorded']);
  });

  it('answers a redelivery with the original receipt and writes nothing', async () => {
    const delivery = randomUUID();
    const payload = example('pull_request', 'opened');
    const first = await deliver('pull_request', payload, { delivery });
    expect(first.status).toBe(201);
    const size = await treeSize();
    const again = await deliver('pull_request', payload, { delivery });
    expect(again.status).toBe(200);
    expect(again.body.receipts).toEqual(first.body.receipts);
    expect(await treeSize()).toBe(size);
  });

  it('takes a form-encoded delivery, the content type GitHub offers by default', async () => {
    const body = new URLSearchParams({ payload: JSON.stringify(example('pull_request', 'opened')) }).toString();
    const res = await deliver('pull_request', undefined, { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(201);
  });

  it('answers a ping with 200 once the signature verifies, writing nothing', async () => {
    const before = await treeSize();
    const ping = octokitExamples(['ping'])[0].payload;
    expect((await deliver('ping', ping)).status).toBe(200);
    expect((await deliver('ping', ping, { key: 'wrong' })).status).toBe(401);
    expect(await treeSize()).toBe(before);
  });

  it.each(['issues', 'projects_v2', 'projects_v2_status_update', 'constructor', '__proto__'])(
    'answers 202 to the %s event, which it does not record, writing nothing',
    async (event) => {
      const before = await treeSize();
      const res = await deliver(event, { action: 'opened', issue: { number: 1 } });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ receipts: [], ignored: [{ reason: `the "${event}" event is not recorded` }] });
      expect(await treeSize()).toBe(before);
    },
  );

  describe('unauthenticated deliveries', () => {
    const payload = () => example('pull_request', 'opened');
    it.each<[string, () => Promise<HttpResult>]>([
      ['a wrong signature', () => deliver('pull_request', payload(), { key: 'not-the-secret' })],
      [
        'a body changed after signing',
        () => {
          const body = JSON.stringify(payload());
          return deliver('pull_request', undefined, {
            body: body.replace('Codertocat', 'Mallory'),
            headers: { 'x-hub-signature-256': sign(body) },
          });
        },
      ],
      ['no signature', () => deliver('pull_request', payload(), { headers: { 'x-hub-signature-256': '' } })],
      [
        'a SHA-1 signature only',
        () => {
          const body = JSON.stringify(payload());
          return deliver('pull_request', undefined, {
            body,
            headers: { 'x-hub-signature-256': '', 'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}` },
          });
        },
      ],
      ['an unknown tenant', () => deliver('pull_request', payload(), { tenant: 'initech' })],
      ['no tenant', () => deliver('pull_request', payload(), { tenant: '' })],
      ['a tenant name that is no tenant name', () => deliver('pull_request', payload(), { tenant: '..%2F..%2Fetc' })],
      ["another tenant's secret", () => deliver('pull_request', payload(), { key: globexSecret })],
      ["this tenant's secret for another tenant", () => deliver('pull_request', payload(), { tenant: 'globex' })],
      [
        'an API key instead of a signature',
        () => deliver('pull_request', payload(), { headers: { 'x-hub-signature-256': '', authorization: `Bearer ${producerKey}` } }),
      ],
    ])('refuses %s with the same 401 problem, writing nothing', async (_what, send) => {
      const [acme, globex] = [await treeSize(), await treeSize('globex')];
      const res = await send();
      expect(res.status).toBe(401);
      expect(res.contentType).toContain('application/problem+json');
      const { instance: _instance, ...problem } = res.body;
      expect(problem).toEqual({
        type: 'urn:evidence-ledger:problem:unauthenticated',
        title: 'Unauthorized',
        status: 401,
        code: 'UNAUTHENTICATED',
        detail: "the delivery's X-Hub-Signature-256 does not verify with the webhook secret of the tenant in the URL",
      });
      expect([await treeSize(), await treeSize('globex')]).toEqual([acme, globex]);
    });
  });

  describe('malformed and hostile deliveries', () => {
    it.each<[string, () => Promise<HttpResult>, number, string]>([
      ['malformed JSON', () => deliver('pull_request', undefined, { body: '{"action": "opened", ' }), 400, 'INVALID_JSON'],
      ['a JSON array', () => deliver('pull_request', [1, 2]), 400, 'INVALID_ENVELOPE'],
      [
        'a delivery without its GUID',
        () => deliver('pull_request', example('pull_request', 'opened'), { delivery: '' }),
        400,
        'INVALID_ENVELOPE',
      ],
      [
        'a hostile event name',
        () => deliver('pull_request', example('pull_request', 'opened'), { headers: { 'x-github-event': '../../admin' } }),
        400,
        'INVALID_ENVELOPE',
      ],
      [
        'an XML body',
        () => deliver('pull_request', undefined, { body: '<xml/>', headers: { 'content-type': 'application/xml' } }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'a pull request with a forged short commit id',
        () =>
          deliver(
            'pull_request',
            variantOf(example('pull_request', 'opened'), (p) => (p.pull_request.head.sha = 'deadbeef')),
          ),
        400,
        'INVALID_ENVELOPE',
      ],
      [
        'a repository URL that is not one',
        () =>
          deliver(
            'pull_request',
            variantOf(example('pull_request', 'opened'), (p) => (p.repository.html_url = 'javascript:alert(1)')),
          ),
        400,
        'INVALID_ENVELOPE',
      ],
      ['a body over 5 MiB', () => deliver('push', undefined, { body: `{"x":"${'a'.repeat(5 * 1024 * 1024)}"}` }), 413, 'BATCH_TOO_LARGE'],
    ])('refuses %s with a problem, writing nothing', async (_what, send, status, code) => {
      const before = await treeSize();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body.code).toBe(code);
      expect(await treeSize()).toBe(before);
    });

    it('names the payload fields a handled delivery lacks', async () => {
      const res = await deliver(
        'pull_request',
        variantOf(example('pull_request', 'opened'), (p) => delete p.pull_request.user),
      );
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'pull_request.user.login', message: 'is required' }]);
    });

    it('is not polluted by __proto__ keys in a signed payload', async () => {
      const body = JSON.stringify(example('pull_request', 'opened')).replace(
        '{',
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
      );
      const res = await deliver('pull_request', undefined, { body });
      expect(res.status).toBe(201);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('the webhook secret', () => {
    it.each<[string, string, () => string, number]>([
      ['a producer', 'GET', () => producerKey, 403],
      ['an auditor', 'GET', () => auditorKey, 403],
      ['no key', 'GET', () => '', 401],
      ['a producer', 'DELETE', () => producerKey, 403],
      ['an auditor', 'DELETE', () => auditorKey, 403],
      ['no key', 'DELETE', () => '', 401],
    ])('refuses %s a %s, changing nothing', async (_who, method, key, status) => {
      const res = await call(`${ledger.url}/v1/integrations/github/secret`, { method, key: key() });
      expect(res.status).toBe(status);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.text).not.toContain(secret);
      expect((await deliver('pull_request', example('pull_request', 'opened'))).status).toBe(201);
    });

    it('is shown once when set, never when read, and a rotation retires the old one at once', async () => {
      const status = await call(`${ledger.url}/v1/integrations/github/secret`, { key: ledger.adminKey });
      expect(status.status).toBe(200);
      expect(status.text).not.toContain(secret);
      expect(status.body).toMatchObject({ provider: 'github', tenant: 'default', webhookPath: '/v1/ingest/github?tenant=default' });

      const rotated = await setSecret(ledger.adminKey, { secret: 'a-secret-of-our-own-choosing-0123456789' });
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).toBe('a-secret-of-our-own-choosing-0123456789');
      expect((await deliver('pull_request', example('pull_request', 'opened'))).status).toBe(401);
      expect((await deliver('pull_request', example('pull_request', 'opened'), { key: rotated.body.secret })).status).toBe(201);

      const generated = await setSecret(ledger.adminKey);
      expect(generated.body.secret).toMatch(/^elw_[A-Za-z0-9_-]{43}$/);
      secret = generated.body.secret;
    });

    it('once removed, refuses every delivery until a new one is set', async () => {
      const url = `${ledger.url}/v1/integrations/github/secret`;
      expect((await call(url, { method: 'DELETE', key: ledger.adminKey })).status).toBe(204);
      expect((await deliver('pull_request', example('pull_request', 'opened'))).status).toBe(401);
      expect((await call(url, { key: ledger.adminKey })).status).toBe(404);
      expect((await call(url, { method: 'DELETE', key: ledger.adminKey })).status).toBe(404);
      secret = (await setSecret(ledger.adminKey)).body.secret;
      expect((await deliver('pull_request', example('pull_request', 'opened'))).status).toBe(201);
    });

    it.each<[string, () => string, unknown, number, string]>([
      ['a producer', () => producerKey, {}, 403, 'FORBIDDEN'],
      ['an auditor', () => auditorKey, {}, 403, 'FORBIDDEN'],
      ['no key', () => '', {}, 401, 'UNAUTHENTICATED'],
      ['a short secret', () => ledger.adminKey, { secret: 'hunter2' }, 400, 'INVALID_ENVELOPE'],
      ['a secret with spaces', () => ledger.adminKey, { secret: 'correct horse battery staple and more words' }, 400, 'INVALID_ENVELOPE'],
      ['an unknown field', () => ledger.adminKey, { secret: 'x'.repeat(40), tenant: 'globex' }, 400, 'INVALID_ENVELOPE'],
      ['a secret that is not a string', () => ledger.adminKey, { secret: 12345 }, 400, 'INVALID_ENVELOPE'],
      ['a body over 64 KiB', () => ledger.adminKey, { secret: 'x'.repeat(70_000) }, 413, 'BATCH_TOO_LARGE'],
      ['a wrong API key', () => 'elk_not-a-real-key-at-all-0000000000000', {}, 401, 'UNAUTHENTICATED'],
    ])('refuses to be set by %s', async (_what, key, json, status, code) => {
      const res = await setSecret(key(), json);
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
      expect((await deliver('pull_request', example('pull_request', 'opened'))).status).toBe(201);
    });
  });
});
