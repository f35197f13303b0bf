import { createHmac, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { StoreHandle, STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { modelInvocation } from '../libs/ledger/src/testing/events';
import { call, HttpResult } from './support/http-client';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';

// Input the API documents as refused (I-JSON, NUL, nesting, sizes) must be refused with a
// 400-class problem on every store, writing nothing and leaving the service healthy.
describe.each(STORES)('hostile input on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let ledger: RunningLedger;
  let producerKey: string;
  let secret: string;

  const treeSize = async () => (await ledger.runtime.store.head('default')).treeSize;
  const post = (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }, key = producerKey) =>
    call(`${ledger.url}/v1/events`, { key, body, headers });
  // An event's JSON with `raw` spliced in verbatim (escapes, repeated names) where JSON.stringify cannot write it.
  const eventText = (raw: string, overrides: Record<string, unknown> = {}) => {
    const text = JSON.stringify(modelInvocation(overrides));
    return `{${raw},${text.slice(1)}`;
  };

  beforeAll(async () => {
    handle = makeHandle();
    ledger = await startLedger(newSite(handle.location));
    producerKey = (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name: 'p', role: 'producer' } })).body.key;
    secret = (await call(`${ledger.url}/v1/integrations/github/secret`, { method: 'PUT', key: ledger.adminKey, json: {} })).body.secret;
  });
  afterAll(async () => {
    await ledger.close();
    await handle.cleanup();
  });

  async function refusedUnchanged(send: () => Promise<HttpResult>, status: number, code: string): Promise<HttpResult> {
    const before = await treeSize();
    const res = await send();
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.contentType).toContain('application/problem+json');
    expect(await treeSize()).toBe(before);
    return res;
  }

  describe('U+0000 in an indexed attribute', () => {
    it.each([
      ['source', { source: 'urn:acme:\u0000gateway' }, 'source'],
      ['changeid', { changeid: 'github.com/acme/pay#1\u0000' }, 'changeid'],
      ['subject', { subject: '\u0000' }, 'subject'],
      ['actor.id', { actor: { kind: 'agent', id: 'claude\u0000' } }, 'actor.id'],
    ])('is refused in %s with 400, and the events batched with it are not written', async (_field, overrides, path) => {
      const res = await refusedUnchanged(
        () => post(JSON.stringify([modelInvocation(), modelInvocation(overrides)])),
        400,
        'INVALID_ENVELOPE',
      );
      expect(res.body.errors).toEqual([{ path: `[1].${path}`, message: 'must not contain U+0000 (NUL)' }]);
      expect((await post(JSON.stringify(modelInvocation()))).status).toBe(201);
    });

    it('is refused in a key name or source prefix', async () => {
      for (const json of [
        { name: 'a\u0000b', role: 'producer' },
        { name: 'a', role: 'producer', sourcePrefix: 'urn:\u0000' },
      ]) {
        const res = await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('INVALID_ENVELOPE');
      }
    });
  });

  describe('nesting', () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

    it('refuses ~5,000 levels in a key request with 400, not 500', async () => {
      const res = await call(`${ledger.url}/v1/api-keys`, {
        key: ledger.adminKey,
        body: `{"name":"n","role":"producer","sourcePrefix":${deep(5000)}}`,
        headers: { 'content-type': 'application/json' },
      });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'INVALID_JSON' });
      expect(res.body.detail).toContain('nested deeper than 64 levels');
    });

    it('refuses ~5,000 levels in a GitHub webhook secret with 400', async () => {
      const res = await call(`${ledger.url}/v1/integrations/github/secret`, {
        method: 'PUT',
        key: ledger.adminKey,
        body: `{"secret":${deep(5000)}}`,
        headers: { 'content-type': 'application/json' },
      });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'INVALID_JSON' });
    });

    it('refuses ~5,000 levels in event data with 400', async () => {
      await refusedUnchanged(() => post(eventText(`"x":${deep(5000)}`, { type: 'x.deep', data: undefined })), 400, 'INVALID_JSON');
    });
  });

  describe('I-JSON (RFC 7493)', () => {
    const badUtf8 = Buffer.concat([Buffer.from('{"source":"urn:acme:'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);

    it.each([
      [
        'invalid UTF-8',
        () => post(Buffer.concat([Buffer.from(eventText('"subject":"ok"').slice(0, -1)), Buffer.from(',"x":"\xff"}', 'latin1')])),
      ],
      ['a lone surrogate in source', () => post(eventText('"source":"urn:acme:\\ud800"', { source: undefined }))],
      ['a lone surrogate deep in data', () => post(eventText('"data":{"note":"\\udc00"}', { type: 'x.note', data: undefined }))],
      ['a repeated member name', () => post(eventText('"source":"urn:acme:a"'))],
      [
        'a repeated member name in a CloudEvents batch',
        () =>
          post(`[${eventText('"id":"0193a0b2-7c1d-7e4f-9a2b-3c4d5e6f7a8b"')}]`, { 'content-type': 'application/cloudevents-batch+json' }),
      ],
      [
        'a repeated member name in a structured CloudEvent',
        () => post(eventText('"type":"x.a"'), { 'content-type': 'application/cloudevents+json' }),
      ],
      [
        'a repeated member name in binary-mode data',
        () =>
          post('{"n":1,"n":2}', {
            'content-type': 'application/json',
            'ce-specversion': '1.0',
            'ce-id': randomUUID(),
            'ce-source': 'urn:acme:x',
            'ce-type': 'x.acme.note',
          }),
      ],
      [
        'invalid UTF-8 in binary-mode data',
        () =>
          post(badUtf8, {
            'content-type': 'application/json',
            'ce-specversion': '1.0',
            'ce-id': randomUUID(),
            'ce-source': 'urn:acme:x',
            'ce-type': 'x.acme.note',
          }),
      ],
    ])('refuses %s with 400 INVALID_JSON', async (_what, send) => {
      await refusedUnchanged(send, 400, 'INVALID_JSON');
    });

    it('names the repeated member', async () => {
      const res = await post(`[${JSON.stringify(modelInvocation())},${eventText('"source":"urn:acme:a"')}]`);
      expect(res.body.errors).toEqual([{ path: '[1].source', message: expect.stringContaining('repeats a member name') }]);
    });

    it('refuses them in a gzipped OPA decision-log upload', async () => {
      const decision = '{"decision_id":"d","decision_id":"e","path":"a/b","result":true,"timestamp":"2026-07-02T10:00:00Z"}';
      const send = (body: Buffer) =>
        call(`${ledger.url}/v1/ingest/opa/logs`, {
          key: producerKey,
          body: gzipSync(body),
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        });
      await refusedUnchanged(() => send(Buffer.from(`[${decision}]`)), 400, 'INVALID_JSON');
      await refusedUnchanged(() => send(badUtf8), 400, 'INVALID_JSON');
    });

    it('refuses them in a signed GitHub webhook delivery', async () => {
      const body = '{"zen":"a","zen":"b","hook_id":1}';
      const res = await refusedUnchanged(
        () =>
          call(`${ledger.url}/v1/ingest/github?tenant=default`, {
            body,
            headers: {
              'content-type': 'application/json',
              'x-github-event': 'pull_request',
              'x-github-delivery': randomUUID(),
              'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
            },
          }),
        400,
        'INVALID_JSON',
      );
      expect(res.body.errors[0].path).toBe('zen');
    });

    it('still accepts well-formed escapes and surrogate pairs, stored exactly', async () => {
      const res = await post(eventText('"subject":"\\u00e9\\ud83d\\ude00"', { subject: undefined }));
      expect(res.status).toBe(201);
      const stored = await ledger.runtime.store.getEntry('default', res.body.sequence);
      expect(JSON.parse(stored!.canonical.toString('utf8')).subject).toBe('é😀');
      // The indexed column holds the same text as the entry bytes.
      const found = await ledger.runtime.store.queryEntries('default', { subject: 'é😀', limit: 10 });
      expect(found.entries.map((e) => e.sequence)).toEqual([res.body.sequence]);
    });
  });

  describe('an event that cannot fit', () => {
    it('refuses 5 MB of zeros with 413 EVENT_TOO_LARGE', async () => {
      const zeros = `[${'0,'.repeat(2_400_000)}0]`;
      const res = await refusedUnchanged(
        () => post(eventText(`"x":${zeros}`, { type: 'x.zeros', data: undefined })),
        413,
        'EVENT_TOO_LARGE',
      );
      expect(res.body.errors[0].path).toBe('$');
    });
  });
});
