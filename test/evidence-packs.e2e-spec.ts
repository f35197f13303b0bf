import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueApiKey } from '@evidence-ledger/ledger';
import { demoScenario } from '@evidence-ledger/samples';
import { rawPublicKeys, verifyEvidencePack } from '@evidence-ledger/verify';
import { parsePublicKeys } from '@evidence-ledger/signing';
import { openArchive } from '@evidence-ledger/archive';
import { sqliteHandle, StoreHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { call } from './support/http-client';
import { postScenario } from './support/post-scenario';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';

const scenario = demoScenario();

describe('evidence packs over HTTP', () => {
  let handle: StoreHandle;
  let ledger: RunningLedger;
  let archiveDir: string;
  let auditor: string;
  let producer: string;
  let otherAuditor: string;
  const previousArchive = process.env.LEDGER_ARCHIVE;
  const from = new Date(Date.now() - 3_600_000).toISOString();
  // A period must be over before it is sealed: each pack's period ends when it is ordered.
  const to = () => new Date().toISOString();
  const post = (json: unknown, key = auditor) => call(`${ledger.url}/v1/evidence-packs`, { key, json });
  const get = (path: string, key = auditor) => call(`${ledger.url}${path}`, { key });

  async function ready(id: string): Promise<Record<string, unknown>> {
    for (;;) {
      const res = await get(`/v1/evidence-packs/${id}`);
      expect(res.status).toBe(200);
      if (res.body.status === 'ready' || res.body.status === 'failed') return res.body;
      await new Promise((done) => setTimeout(done, 20));
    }
  }

  async function download(id: string, key = auditor): Promise<{ status: number; type: string; bytes: Buffer }> {
    const res = await fetch(`${ledger.url}/v1/evidence-packs/${id}/download`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
  }

  beforeAll(async () => {
    archiveDir = mkdtempSync(join(tmpdir(), 'packs-archive-'));
    process.env.LEDGER_ARCHIVE = archiveDir;
    handle = sqliteHandle();
    const site = newSite(handle.location);
    ledger = await startLedger(site);
    const key = async (name: string, role: string) =>
      (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name, role } })).body.key;
    producer = await key('gateway', 'producer');
    auditor = await key('auditor', 'auditor');
    await ledger.runtime.store.createTenant('globex');
    otherAuditor = (await issueApiKey(ledger.runtime.store, { tenant: 'globex', name: 'globex auditor', role: 'auditor' })).key;
    for (const status of await postScenario(ledger.url, { producer, admin: ledger.adminKey }, scenario.events)) expect(status).toBe(201);
  });
  afterAll(async () => {
    await ledger?.close();
    await handle.cleanup();
    rmSync(archiveDir, { recursive: true, force: true });
    if (previousArchive === undefined) delete process.env.LEDGER_ARCHIVE;
    else process.env.LEDGER_ARCHIVE = previousArchive;
  });

  it('builds a pack in the background, reports progress, and serves a zip that verifies with the public key', async () => {
    const res = await post({ framework: 'soc2', from, to: to() });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ framework: 'soc2', status: expect.stringMatching(/queued|building/), progress: expect.any(Number) });
    expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const done = await ready(res.body.id);
    expect(done).toMatchObject({ status: 'ready', progress: 100, download: `/v1/evidence-packs/${res.body.id}/download` });
    expect((done.summary as { notSatisfied: number }).notSatisfied).toBeGreaterThan(0);
    // A directory archive does not lock the pack: no retention date is claimed, and the pack says so.
    expect(done.locked).toBe(false);
    expect(done.retainUntil).toBeUndefined();
    const zip = await download(res.body.id);
    expect(zip.status).toBe(200);
    expect(zip.type).toBe('application/zip');
    const pem = ledger.runtime.signer.publicKeyPem();
    const verification = verifyEvidencePack(zip.bytes, { noteKeys: parsePublicKeys(pem), rawKeys: rawPublicKeys(pem) });
    expect(verification.failures).toEqual([]);
    expect(verification.controls?.inputs.retention).toEqual({ days: 366, locked: false, archive: 'disk' });
  });

  it('proves a second pack of the same framework consistent with the first', async () => {
    const first = (await post({ framework: 'hipaa', from, to: to() })).body.id;
    await ready(first);
    await call(`${ledger.url}/v1/events`, { key: producer, json: [{ ...scenario.events[1], id: '0190b6a0-0000-7000-8000-000000000001' }] });
    const second = (await post({ framework: 'hipaa', from, to: to() })).body.id;
    const done = await ready(second);
    expect(done.status).toBe('ready');
    const pem = ledger.runtime.signer.publicKeyPem();
    const trust = { noteKeys: parsePublicKeys(pem), rawKeys: rawPublicKeys(pem) };
    const v = verifyEvidencePack((await download(second)).bytes, trust, (await download(first)).bytes);
    expect(v.failures).toEqual([]);
    expect(v.passed).toContainEqual(expect.stringMatching(/^proofs\/previous\.json: this tree extends/));
  });

  it.each([
    [{ framework: 'nist-800-53', from, to: to() }, 'framework'],
    [{ framework: 'soc2', from: to(), to: from }, 'to: must be after from'],
    [{ framework: 'soc2', from: 'yesterday', to: to() }, 'from: must be an RFC 3339'],
    [{ framework: 'soc2', from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'to: a pack covers at most'],
    [
      { framework: 'soc2', from, to: to(), scope: { repositories: Array.from({ length: 101 }, (_, i) => `r${i}`) } },
      'scope.repositories: at most',
    ],
    [{ framework: 'soc2', from, to: to(), tenant: 'globex' }, 'tenant: unknown field'],
    [{ framework: 'soc2', from, to: new Date(Date.now() + 3_600_000).toISOString() }, 'to: is in the future (server time '],
  ])('refuses %j with a 400 problem naming the field', async (body, detail) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('INVALID_PACK_REQUEST');
    expect(res.body.detail).toContain(detail);
  });

  it("answers 404 for an unknown id and for another tenant's pack, and 403 for a producer key", async () => {
    expect((await get('/v1/evidence-packs/0190b6a0-0000-7000-8000-00000000abcd')).status).toBe(404);
    expect((await get('/v1/evidence-packs/not-an-id')).status).toBe(404);
    const id = (await post({ framework: 'eu-ai-act', from, to: to() })).body.id;
    await ready(id);
    expect((await get(`/v1/evidence-packs/${id}`, otherAuditor)).status).toBe(404);
    expect((await download(id, otherAuditor)).status).toBe(404);
    expect((await post({ framework: 'soc2', from, to: to() }, producer)).status).toBe(403);
  });
  it("lists the tenant's packs in the order they were ordered, page by page and filtered, and never another tenant's", async () => {
    const hipaa = (await post({ framework: 'hipaa', from, to: to() })).body.id;
    await ready(hipaa);
    const globex = (await post({ framework: 'soc2', from, to: to() }, otherAuditor)).body.id;
    const everything = await get('/v1/evidence-packs?limit=1000');
    expect(everything.status).toBe(200);
    expect(everything.body.next).toBeNull();
    const ids = (everything.body.packs as { id: string }[]).map((p) => p.id);
    expect(ids).toContain(hipaa);
    expect(ids).not.toContain(globex);
    expect([...ids].sort()).toEqual(ids);
    expect(everything.body.packs.find((p: { id: string }) => p.id === hipaa)).toMatchObject({
      framework: 'hipaa',
      status: 'ready',
      download: `/v1/evidence-packs/${hipaa}/download`,
      createdAt: expect.any(String),
    });
    const paged: string[] = [];
    for (let after = ''; ;) {
      const page = await get(`/v1/evidence-packs?limit=2${after ? `&after=${after}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.packs.length).toBeLessThanOrEqual(2);
      paged.push(...(page.body.packs as { id: string }[]).map((p) => p.id));
      if (page.body.next === null) break;
      after = page.body.next;
    }
    expect(paged).toEqual(ids);
    const onlyHipaa = await get('/v1/evidence-packs?framework=hipaa&status=ready');
    expect(
      (onlyHipaa.body.packs as { framework: string; status: string }[]).every((p) => p.framework === 'hipaa' && p.status === 'ready'),
    ).toBe(true);
    expect((onlyHipaa.body.packs as { id: string }[]).map((p) => p.id)).toContain(hipaa);
    const theirs = await get('/v1/evidence-packs', otherAuditor);
    expect((theirs.body.packs as { id: string }[]).map((p) => p.id)).toEqual([globex]);
    expect((await get('/v1/evidence-packs', ledger.adminKey)).status).toBe(200);
    expect((await get('/v1/evidence-packs', producer)).status).toBe(403);
    for (const bad of ['after=not-an-id', 'limit=0', 'limit=1001', 'status=lost']) {
      const res = await get(`/v1/evidence-packs?${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_QUERY');
    }
  });

  it('still finds, by its id, a pack archived before jobs were kept in the store', async () => {
    const id = '0190b6a0-0000-7000-8000-00000000beef';
    const legacy = {
      id,
      tenant: 'default',
      framework: 'soc2',
      from,
      to: from,
      scope: { repositories: [] },
      status: 'ready',
      progress: 100,
    };
    const archive = await openArchive(archiveDir);
    try {
      const retainUntil = new Date(Date.now() + 86_400_000);
      await archive.put(`evidence-packs/default/soc2/${id}.json`, Buffer.from(JSON.stringify(legacy)), {
        retainUntil,
        contentType: 'application/json',
      });
    } finally {
      await archive.close();
    }
    const found = await get(`/v1/evidence-packs/${id}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id, framework: 'soc2', status: 'ready', createdAt: '2024-07-15T13:40:57.472Z' });
    expect((await get(`/v1/evidence-packs/${id}`, otherAuditor)).status).toBe(404);
  });

  it('refuses more than four queued packs per tenant with 429, and builds the ones it accepted', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => post({ framework: 'iso27001', from, to: to() })));
    const refused = answers.filter((a) => a.status === 429);
    const accepted = answers.filter((a) => a.status === 202);
    expect(refused.length).toBeGreaterThan(0);
    expect(accepted.length + refused.length).toBe(12);
    for (const r of refused) {
      expect(r.contentType).toMatch(/^application\/problem\+json/);
      expect(r.body.code).toBe('PACK_QUEUE_FULL');
    }
    for (const a of accepted) expect((await ready(a.body.id)).status).toBe('ready');
    expect((await post({ framework: 'iso27001', from, to: to() })).status).toBe(202);
  });
});
