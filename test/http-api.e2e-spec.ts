import { CloudEvent, emitterFor, Message, Mode } from 'cloudevents';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, leafHash, openCheckpoint, parseVerifierKey, Receipt, rootFromInclusionProof } from '@evidence-ledger/core';
import { issueApiKey } from '@evidence-ledger/ledger';
import { StoredEntry } from '@evidence-ledger/store';
import { StoreHandle, STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { modelInvocation, uuidv7 } from '../libs/ledger/src/testing/events';
import { SCHEMAS_DIR } from '../apps/ledger/src/catalog/catalog-schemas';
import { call } from './support/http-client';
import { LedgerSite, newSite, RunningLedger, startLedger } from './support/ledger-server';

const b64 = (s: string) => Buffer.from(s, 'base64');

// What any producer can check with the public key alone, using nothing from this codebase's server.
function verifiesWith(vkey: string, receipt: Receipt, entryBytes?: Buffer): boolean {
  const { checkpoint } = openCheckpoint(receipt.checkpoint, [parseVerifierKey(vkey)]);
  if (entryBytes && leafHash(entryBytes).toString('base64') !== receipt.leafHash) return false;
  const root = rootFromInclusionProof({ ...receipt.inclusionProof, hashes: receipt.inclusionProof.hashes.map(b64) }, b64(receipt.leafHash));
  return Buffer.from(root).equals(checkpoint.rootHash);
}

describe.each(STORES)('the HTTP API on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let site: LedgerSite;
  let ledger: RunningLedger;
  let producerKey: string;
  let auditorKey: string;
  let vkey: string;

  const events = (key = producerKey, body: unknown = modelInvocation()) => call(`${ledger.url}/v1/events`, { key, json: body });
  const treeSize = async () => (await ledger.runtime.store.head('default')).treeSize;

  beforeAll(async () => {
    handle = makeHandle();
    site = newSite(handle.location);
    ledger = await startLedger(site);
    producerKey = (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name: 'gateway', role: 'producer' } })).body.key;
    auditorKey = (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name: 'auditor', role: 'auditor' } })).body.key;
    vkey = (await call(`${ledger.url}/v1/public-keys`, { key: auditorKey })).body.keys[0].verifierKey;
  });
  afterAll(async () => {
    await ledger.close();
    await handle.cleanup();
  });

  describe('recording events', () => {
    it('answers a post with a receipt whose proof verifies with only the public key', async () => {
      const res = await events();
      expect(res.status).toBe(201);
      const receipt = res.body as Receipt;
      const entry = await call(`${ledger.url}/v1/entries/${receipt.sequence}`, { key: auditorKey });
      expect(entry.body.leafHash).toBe(receipt.leafHash);
      expect(verifiesWith(vkey, receipt, b64(entry.body.canonical))).toBe(true);
      expect(entry.body.entry).toMatchObject({ tenant: 'default', sequence: receipt.sequence, type: 'model.invocation.completed' });
    });

    it('answers a retried id with 200 and the original receipt, writing nothing', async () => {
      const event = modelInvocation();
      const first = await events(producerKey, event);
      const size = await treeSize();
      const again = await events(producerKey, event);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: first.body.id, sequence: first.body.sequence, leafHash: first.body.leafHash });
      expect(await treeSize()).toBe(size);
    });

    it('takes an array and returns a receipt per event, in order', async () => {
      const batch = [modelInvocation(), modelInvocation(), modelInvocation()];
      const res = await events(producerKey, batch);
      expect(res.status).toBe(201);
      expect(res.body.map((r: Receipt) => r.id)).toEqual(batch.map((e) => e.id));
      for (const r of res.body) expect(verifiesWith(vkey, r)).toBe(true);
    });

    it('returns a full batch of 1000 (canonicalized on two threads, proved in one walk) with receipts that all verify against the stored bytes', async () => {
      const batch = Array.from({ length: 1000 }, () => modelInvocation());
      const res = await events(producerKey, batch);
      expect(res.status).toBe(201);
      expect(res.body.map((r: Receipt) => r.id)).toEqual(batch.map((e) => e.id));
      const stored: StoredEntry[] = [];
      for await (const e of ledger.runtime.store.readEntries('default', res.body[0].sequence, res.body[0].sequence + 1000)) stored.push(e);
      expect(stored.map((e) => e.id)).toEqual(batch.map((e) => e.id));
      expect(res.body.filter((r: Receipt, i: number) => !verifiesWith(vkey, r, stored[i].canonical))).toEqual([]);
      // Every stored entry is the RFC 8785 form of exactly the event sent, plus the server's members.
      const unlike = stored.filter((e, i) => {
        const { tenant, sequence, recordedAt, producer, ...sent } = JSON.parse(e.canonical.toString('utf8')) as Record<string, unknown>;
        return (
          canonicalJson(JSON.parse(e.canonical.toString('utf8'))) !== e.canonical.toString('utf8') ||
          canonicalJson(sent) !== canonicalJson(batch[i]) ||
          [tenant, sequence, typeof recordedAt, typeof producer].join() !== ['default', e.sequence, 'string', 'string'].join()
        );
      });
      expect(unlike).toEqual([]);
    });

    it.each([Mode.STRUCTURED, Mode.BINARY])('accepts the official cloudevents SDK as a client (%s mode)', async (mode) => {
      const sent: { status: number; body: Receipt }[] = [];
      const transport = async (message: Message) => {
        const res = await call(`${ledger.url}/v1/events`, {
          key: producerKey,
          headers: message.headers as Record<string, string>,
          body: message.body as string,
        });
        sent.push(res);
        return res;
      };
      const emit = emitterFor(transport, { mode });
      const event = new CloudEvent({
        id: uuidv7(),
        source: 'urn:acme:policy-engine',
        type: 'x.acme.policy.heartbeat',
        subject: 'github.com/acme/pay#482',
        changeid: 'github.com/acme/pay#482',
        datacontenttype: 'application/json',
        data: { healthy: true, bundles: 3 },
      });
      await emit(event);
      expect(sent[0].status).toBe(201);
      expect(verifiesWith(vkey, sent[0].body)).toBe(true);
      const stored = await call(`${ledger.url}/v1/entries/${sent[0].body.sequence}`, { key: auditorKey });
      expect(stored.body.entry).toMatchObject({
        id: event.id,
        source: 'urn:acme:policy-engine',
        changeid: 'github.com/acme/pay#482',
        data: { healthy: true, bundles: 3 },
      });
    });

    it('accepts a CloudEvents batch', async () => {
      const batch = [modelInvocation(), modelInvocation()];
      const res = await call(`${ledger.url}/v1/events`, {
        key: producerKey,
        body: JSON.stringify(batch),
        headers: { 'content-type': 'application/cloudevents-batch+json' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toHaveLength(2);
    });
  });

  describe('bad input', () => {
    const big = 'x'.repeat(60_000);
    it.each<
      [string, () => Promise<{ status: number; contentType: string; body: { code: string; errors?: { path: string }[] } }>, number, string]
    >([
      [
        'malformed JSON',
        () => call(`${ledger.url}/v1/events`, { key: producerKey, body: '{"id": ', headers: { 'content-type': 'application/json' } }),
        400,
        'INVALID_JSON',
      ],
      ['a non-object event', () => events(producerKey, 'just a string'), 400, 'INVALID_ENVELOPE'],
      [
        'an unknown field on a typed event',
        () => events(producerKey, modelInvocation({ data: { ...(modelInvocation().data as object), secretSauce: 1 } })),
        400,
        'INVALID_ENVELOPE',
      ],
      ['a typed event missing its data', () => events(producerKey, modelInvocation({ data: undefined })), 400, 'INVALID_ENVELOPE'],
      ['a bad id', () => events(producerKey, modelInvocation({ id: '1234' })), 400, 'INVALID_ENVELOPE'],
      ['a missing source', () => events(producerKey, modelInvocation({ source: undefined })), 400, 'INVALID_ENVELOPE'],
      ['a tenant in the body', () => events(producerKey, modelInvocation({ tenant: 'globex' })), 400, 'INVALID_ENVELOPE'],
      ['a server-only type', () => events(producerKey, modelInvocation({ type: 'ledger.key.rotated' })), 400, 'INVALID_ENVELOPE'],
      [
        'an event over 256 KiB',
        () => events(producerKey, { ...modelInvocation({ type: 'x.blob' }), data: { a: big, b: big, c: big, d: big, e: big } }),
        413,
        'EVENT_TOO_LARGE',
      ],
      [
        'a body over 5 MiB',
        () =>
          call(`${ledger.url}/v1/events`, {
            key: producerKey,
            body: `[${'"x",'.repeat(1_400_000)}1]`,
            headers: { 'content-type': 'application/json' },
          }),
        413,
        'BATCH_TOO_LARGE',
      ],
      [
        'more than 1000 events',
        () =>
          events(
            producerKey,
            Array.from({ length: 1001 }, () => modelInvocation()),
          ),
        413,
        'BATCH_TOO_LARGE',
      ],
      [
        'an unsupported media type',
        () => call(`${ledger.url}/v1/events`, { key: producerKey, body: 'id=1', headers: { 'content-type': 'text/plain' } }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      ['no API key', () => events(''), 401, 'UNAUTHENTICATED'],
      ['a wrong API key', () => events('elk_not-a-real-key-at-all-0000000000000'), 401, 'UNAUTHENTICATED'],
      ['an auditor key', () => events(auditorKey), 403, 'FORBIDDEN'],
    ])('rejects %s with a problem and leaves the log unchanged', async (_what, send, status, code) => {
      const before = await treeSize();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body.code).toBe(code);
      expect(await treeSize()).toBe(before);
    });

    it('names the offending fields and rejects the whole batch', async () => {
      const before = await treeSize();
      const res = await events(producerKey, [
        modelInvocation(),
        modelInvocation({ data: { ...(modelInvocation().data as object), tokensIn: -1 } }),
        modelInvocation({ id: 'nope' }),
      ]);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['[2].id']));
      expect(await treeSize()).toBe(before);
    });

    it('names the one oversize event of a 1000-event batch, wherever it sits, and writes none of them', async () => {
      const big = 'x'.repeat(60_000);
      for (const at of [5, 900]) {
        const before = await treeSize();
        const batch = Array.from({ length: 1000 }, (_, i) =>
          i === at ? { ...modelInvocation({ type: 'x.blob' }), data: { a: big, b: big, c: big, d: big, e: big } } : modelInvocation(),
        );
        const res = await events(producerKey, batch);
        expect(res.status).toBe(413);
        expect(res.body.code).toBe('EVENT_TOO_LARGE');
        expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([`[${at}]`]);
        expect(await treeSize()).toBe(before);
      }
    });

    it('refuses malformed proof and listing parameters with a problem', async () => {
      for (const q of [
        'proofs/inclusion?sequence=abc',
        'proofs/inclusion',
        'proofs/inclusion?sequence=0&treeSize=999999',
        'proofs/consistency?from=-1',
        'entries?limit=5000',
        'entries?from=yesterday',
        'entries/1e3',
      ]) {
        const res = await call(`${ledger.url}/v1/${q}`, { key: auditorKey });
        expect([400, 404]).toContain(res.status);
        expect(res.contentType).toContain('application/problem+json');
      }
    });
  });

  describe('keys, roles and tenants', () => {
    let globexAdmin: string;
    let globexAuditor: string;
    beforeAll(async () => {
      await ledger.runtime.store.createTenant('globex');
      globexAdmin = (await issueApiKey(ledger.runtime.store, { tenant: 'globex', name: 'globex admin', role: 'admin' })).key;
      globexAuditor = (await call(`${ledger.url}/v1/api-keys`, { key: globexAdmin, json: { name: 'globex auditor', role: 'auditor' } }))
        .body.key;
    });

    it('never lets a key of one tenant read or change another tenant', async () => {
      const [acme] = (await events(producerKey, [modelInvocation()])).body as Receipt[];
      const acmeKeys = (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey })).body.keys;
      const asGlobex = [
        await call(`${ledger.url}/v1/entries/${acme.sequence}`, { key: globexAuditor }),
        await call(`${ledger.url}/v1/proofs/inclusion?sequence=${acme.sequence}`, { key: globexAuditor }),
        await call(`${ledger.url}/v1/checkpoint`, { key: globexAuditor }),
        await call(`${ledger.url}/v1/api-keys/${acmeKeys[0].id}`, { method: 'DELETE', key: globexAdmin }),
      ];
      for (const res of asGlobex) {
        expect(res.status).toBe(404);
        expect(res.text).not.toContain(acme.leafHash);
      }
      const listed = await call(`${ledger.url}/v1/entries`, { key: globexAuditor });
      expect(listed.body.entries).toEqual([]);
      const globexKeys = (await call(`${ledger.url}/v1/api-keys`, { key: globexAdmin })).body.keys;
      expect(globexKeys.map((k: { tenant: string }) => k.tenant)).toEqual(['globex', 'globex']);
      expect((await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey })).body.keys).toHaveLength(acmeKeys.length);
    });

    it('keeps an entry posted with a globex key in the globex log, whatever the body says', async () => {
      const globexProducer = (await call(`${ledger.url}/v1/api-keys`, { key: globexAdmin, json: { name: 'p', role: 'producer' } })).body
        .key;
      const res = await events(globexProducer, modelInvocation());
      expect(res.body.checkpoint.split('\n')[0]).toBe('ledger.test/globex');
      expect(res.body.sequence).toBe(0);
    });

    it.each([
      ['a producer reading entries', () => producerKey, 'GET', 'entries'],
      ['an auditor creating keys', () => auditorKey, 'POST', 'api-keys'],
      ['a producer listing keys', () => producerKey, 'GET', 'api-keys'],
    ])('refuses %s with 403', async (_what, key, method, path) => {
      const res = await call(`${ledger.url}/v1/${path}`, {
        method,
        key: key(),
        ...(method === 'POST' ? { json: { name: 'x', role: 'admin' } } : {}),
      });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('restricts a producer key to its source prefix', async () => {
      const created = await call(`${ledger.url}/v1/api-keys`, {
        key: ledger.adminKey,
        json: { name: 'scanner', role: 'producer', sourcePrefix: 'urn:acme:scanner' },
      });
      expect(created.status).toBe(201);
      const before = await treeSize();
      const refused = await events(created.body.key, modelInvocation({ source: 'urn:acme:agent-gateway' }));
      expect(refused.status).toBe(403);
      expect(refused.body.errors[0].path).toBe('source');
      expect(await treeSize()).toBe(before);
      expect((await events(created.body.key, modelInvocation({ source: 'urn:acme:scanner/semgrep' }))).status).toBe(201);
    });

    it('shows a key once, lists keys without secrets, and revokes', async () => {
      const created = await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name: 'short-lived', role: 'producer' } });
      expect(created.body.key).toMatch(/^elk_/);
      const listed = await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey });
      expect(listed.text).not.toContain(created.body.key);
      expect((await call(`${ledger.url}/v1/api-keys/${created.body.id}`, { method: 'DELETE', key: ledger.adminKey })).status).toBe(204);
      expect((await events(created.body.key)).status).toBe(401);
    });

    it('rejects a malformed key request with the fields at fault', async () => {
      const res = await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name: '', role: 'root', extra: 1 } });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['name', 'role', 'extra']));
    });
  });

  describe('reading the log', () => {
    it('serves the signed checkpoint as text, and consistency between checkpoints', async () => {
      const first = await call(`${ledger.url}/v1/checkpoint`, { key: auditorKey });
      expect(first.contentType).toContain('text/plain');
      const { checkpoint: old } = openCheckpoint(first.text, [parseVerifierKey(vkey)]);
      await events(producerKey, [modelInvocation(), modelInvocation()]);
      const { checkpoint: now } = openCheckpoint((await call(`${ledger.url}/v1/checkpoint`, { key: auditorKey })).text, [
        parseVerifierKey(vkey),
      ]);
      const proof = await call(`${ledger.url}/v1/proofs/consistency?from=${old.treeSize}&to=${now.treeSize}`, { key: auditorKey });
      const { verifyConsistency } = await import('@evidence-ledger/core');
      expect(
        verifyConsistency({ fromSize: old.treeSize, toSize: now.treeSize, hashes: proof.body.hashes.map(b64) }, old.rootHash, now.rootHash),
      ).toBe(true);
    });

    it('lists entries by change id, page by page', async () => {
      const changeid = `github.com/acme/pay#${Date.now()}`;
      await events(
        producerKey,
        Array.from({ length: 5 }, () => modelInvocation({ changeid })),
      );
      const page1 = await call(`${ledger.url}/v1/entries?changeid=${encodeURIComponent(changeid)}&limit=3`, { key: auditorKey });
      const page2 = await call(`${ledger.url}/v1/entries?changeid=${encodeURIComponent(changeid)}&limit=3&after=${page1.body.next}`, {
        key: auditorKey,
      });
      const all = [...page1.body.entries, ...page2.body.entries];
      expect(all).toHaveLength(5);
      expect(all.every((e: { entry: { changeid: string } }) => e.entry.changeid === changeid)).toBe(true);
    });

    it('lists public keys in signed-note vkey form and PEM', async () => {
      const res = await call(`${ledger.url}/v1/public-keys`, { key: producerKey });
      expect(res.body.keys[0]).toMatchObject({
        status: 'active',
        verifierKey: expect.stringMatching(/^ledger\.test\+[0-9a-f]{8}\+/),
        publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY'),
      });
    });
  });

  describe('operations', () => {
    it('reports health, metrics and the OpenAPI document', async () => {
      const health = await call(`${ledger.url}/health`);
      if (health.status !== 200) console.log(health.text);
      expect(health.body).toMatchObject({ status: 'ok', details: { store: { status: 'up' }, signingKey: { status: 'up' } } });
      const metrics = await call(`${ledger.url}/metrics`);
      expect(metrics.text).toContain('ledger_events_appended_total');
      expect(metrics.text).toContain('ledger_commit_duration_seconds_bucket');
      const openapi = await call(`${ledger.url}/docs/openapi.json`);
      expect(openapi.status).toBe(200);
      // The catalog's schemas are the document's components, exactly as committed in schemas/.
      const committed = readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.schema.json'));
      expect(committed).toHaveLength(14);
      for (const file of committed) {
        const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, file), 'utf8'));
        expect(openapi.body.components.schemas[file.replace(/\.schema\.json$/, '')]).toEqual(schema);
      }
      expect(openapi.body.paths['/v1/events'].post.requestBody.content['application/json'].schema.oneOf[0]).toEqual({
        $ref: '#/components/schemas/event-envelope',
      });
      const schemas = await call(`${ledger.url}/v1/schemas`);
      expect(schemas.body.schemas).toEqual(expect.arrayContaining(['event-envelope', 'scan.completed', 'model.invocation.completed']));
      expect((await call(`${ledger.url}/v1/schemas/scan.completed`)).body).toMatchObject({ type: 'object' });
      expect((await call(`${ledger.url}/v1/schemas/__proto__`)).status).toBe(404);
    });

    it('answers an unknown route with a problem', async () => {
      const res = await call(`${ledger.url}/v1/nothing-here`, { key: auditorKey });
      expect(res.status).toBe(404);
      expect(res.contentType).toContain('application/problem+json');
    });

    it('keeps keys and the chain across a restart', async () => {
      const size = await treeSize();
      await ledger.close();
      ledger = await startLedger(site);
      const res = await events();
      expect(res.status).toBe(201);
      expect(res.body.sequence).toBe(size);
      const { verifyLogStream } = await import('@evidence-ledger/core');
      const report = await verifyLogStream(
        ledger.runtime.store.readEntries('default', 0),
        ledger.runtime.store.readCheckpoints('default'),
        { trusted: [parseVerifierKey(vkey)], tenant: 'default' },
      );
      expect(report).toMatchObject({ ok: true, entries: size + 1 });
    });
  });
});

describe('rate limiting', () => {
  it('answers 429 with a problem once a key exceeds its per-minute budget', async () => {
    const handle = STORES[0][1]();
    const ledger = await startLedger(newSite(handle.location), { LEDGER_RATE_LIMIT: '5' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await call(`${ledger.url}/v1/public-keys`, { key: ledger.adminKey })).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses[6]).toBe(429);
    } finally {
      await ledger.close();
      await handle.cleanup();
    }
  });
});
