import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '@evidence-ledger/ledger';
import { demoScenario } from '@evidence-ledger/samples';
import { rawPublicKeys, verifyEvidencePack } from '@evidence-ledger/verify';
import { LocalKeySigner, parsePublicKeys } from '@evidence-ledger/signing';
import { LedgerStore, packJobStoreOf } from '@evidence-ledger/store';
import { StoreHandle, STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { REPO_ROOT } from './fixtures/cli-process';
import { call } from './support/http-client';

const MAIN = join(REPO_ROOT, 'apps', 'ledger', 'dist', 'main.js');
const ORIGIN = 'ledger.test';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Service {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

interface Site {
  readonly store: string;
  readonly dir: string;
  readonly adminKey: string;
}

// The built service (`npm start`'s main.js) as a child process, answering /health.
async function startService(site: Site, env: Record<string, string> = {}): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LEDGER_STORE: site.store,
      LEDGER_KEY_FILE: join(site.dir, 'ledger.key'),
      LEDGER_ARCHIVE: join(site.dir, 'archive'),
      LEDGER_ORIGIN: ORIGIN,
      LEDGER_BOOTSTRAP_ADMIN_KEY: site.adminKey,
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/health`).catch(() => undefined))?.status === 200, 'the service to start', 60_000);
  return { url, child, exited };
}

async function stop(service: Service | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!service || service.child.exitCode !== null || service.child.signalCode !== null) return;
  service.child.kill(signal);
  await service.exited;
}

async function until(test: () => Promise<boolean> | boolean, what: string, ms = 120_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    if (await test()) return;
    await new Promise((done) => setTimeout(done, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// `rounds` copies of the demo scenario in the default tenant, change ids unique per round,
// signed with the key the service will load.
async function writeLog(store: LedgerStore, signer: LocalKeySigner, rounds: number): Promise<void> {
  const ledger = new Ledger({ store, signer, originPrefix: ORIGIN });
  for (let round = 0; round < rounds; round++) {
    const text = JSON.stringify(demoScenario({ seed: 700 + round }).events).replace(/#(\d+)/g, `#${round}-$1`);
    const events = JSON.parse(text) as Record<string, unknown>[];
    for (let i = 0; i < events.length; i += 1000) await ledger.append('default', 'producer', events.slice(i, i + 1000));
  }
  await ledger.close();
}

describe.each(STORES)('evidence-pack jobs on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let site: Site;
  let signer: LocalKeySigner;
  const services: Service[] = [];
  const from = new Date(Date.now() - 86_400_000).toISOString();

  async function prepare(rounds: number): Promise<void> {
    handle = makeHandle();
    const dir = mkdtempSync(join(tmpdir(), 'pack-jobs-'));
    site = { store: handle.location, dir, adminKey: `elk_test_${randomBytes(24).toString('base64url')}` };
    signer = await LocalKeySigner.loadOrCreate(join(dir, 'ledger.key'), ORIGIN);
    const store = await handle.open();
    try {
      await writeLog(store, signer, rounds);
    } finally {
      await store.close();
    }
  }

  async function auditorKey(service: Service): Promise<string> {
    const res = await call(`${service.url}/v1/api-keys`, { key: site.adminKey, json: { name: 'auditor', role: 'auditor' } });
    expect(res.status).toBe(201);
    return res.body.key as string;
  }

  async function settled(service: Service, key: string, id: string): Promise<Record<string, unknown>> {
    let last: Record<string, unknown> = {};
    await until(async () => {
      const res = await call(`${service.url}/v1/evidence-packs/${id}`, { key });
      expect(res.status).toBe(200);
      last = res.body;
      return last.status === 'ready' || last.status === 'failed';
    }, `pack ${id} to be built`);
    return last;
  }

  async function verifiedZip(service: Service, key: string, id: string): Promise<readonly string[]> {
    const res = await fetch(`${service.url}/v1/evidence-packs/${id}/download`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const pem = signer.publicKeyPem();
    const zip = Buffer.from(await res.arrayBuffer());
    return verifyEvidencePack(zip, { noteKeys: parsePublicKeys(pem), rawKeys: rawPublicKeys(pem) }).failures;
  }

  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`build the service first (npm run build): ${MAIN} is missing`);
  });
  afterEach(async () => {
    for (const s of services.splice(0)) await stop(s, 'SIGKILL');
    await handle?.cleanup();
    if (site) rmSync(site.dir, { recursive: true, force: true });
  });

  it('builds a pack accepted before a kill -9 during its build once the service is back, and it verifies', async () => {
    await prepare(40);
    const lease = { LEDGER_PACK_LEASE_SECONDS: '2' };
    const first = await startService(site, lease);
    services.push(first);
    const key = await auditorKey(first);
    const ordered = await call(`${first.url}/v1/evidence-packs`, {
      key,
      json: { framework: 'soc2', from, to: new Date().toISOString() },
    });
    expect(ordered.status).toBe(202);
    const id = ordered.body.id as string;
    await until(async () => (await call(`${first.url}/v1/evidence-packs/${id}`, { key })).body.status === 'building', 'the build');
    await stop(first, 'SIGKILL');

    const second = await startService(site, lease);
    services.push(second);
    const interrupted = await call(`${second.url}/v1/evidence-packs/${id}`, { key });
    expect(interrupted.status).toBe(200);
    expect(interrupted.body.status).toMatch(/^(building|ready)$/);
    const done = await settled(second, key, id);
    expect(done).toMatchObject({ status: 'ready', progress: 100 });
    expect(await verifiedZip(second, key, id)).toEqual([]);

    const store = await handle.open();
    try {
      expect(await packJobStoreOf(store).find('default', id)).toMatchObject({ status: 'ready', attempts: 2 });
    } finally {
      await store.close();
    }
  }, 300_000);

  it('hands a pack back at once when stopped gracefully mid-build, so the next start builds it without waiting out the lease', async () => {
    await prepare(40);
    // A lease far longer than the test: only a hand-back lets the restarted service build it.
    const lease = { LEDGER_PACK_LEASE_SECONDS: '3600' };
    const first = await startService(site, lease);
    services.push(first);
    const key = await auditorKey(first);
    const ordered = await call(`${first.url}/v1/evidence-packs`, { key, json: { framework: 'hipaa', from, to: new Date().toISOString() } });
    const id = ordered.body.id as string;
    await until(async () => (await call(`${first.url}/v1/evidence-packs/${id}`, { key })).body.status === 'building', 'the build');
    await stop(first, 'SIGTERM');
    const store = await handle.open();
    try {
      const handedBack = await packJobStoreOf(store).find('default', id);
      if (handedBack?.status === 'building') expect(handedBack.leaseUntil).toBe(0);
    } finally {
      await store.close();
    }
    const second = await startService(site, lease);
    services.push(second);
    expect(await settled(second, key, id)).toMatchObject({ status: 'ready' });
    expect(await verifiedZip(second, key, id)).toEqual([]);
  }, 300_000);

  it('refuses to start with a lease that is not a whole number of seconds from 1 to 3600', async () => {
    await prepare(1);
    for (const lease of ['0', '2.5', 'soon']) {
      const child = spawn(process.execPath, [MAIN], {
        env: {
          ...process.env,
          PORT: '0',
          LEDGER_STORE: site.store,
          LEDGER_KEY_FILE: join(site.dir, 'ledger.key'),
          LEDGER_ARCHIVE: join(site.dir, 'archive'),
          LEDGER_PACK_LEASE_SECONDS: lease,
        },
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(2);
      expect(stderr).toContain(`LEDGER_PACK_LEASE_SECONDS must be a whole number of seconds from 1 to 3600, got "${lease}"`);
    }
  });

  it('fails with the reason a pack whose builders kept dying, instead of retrying it for ever', async () => {
    await prepare(1);
    const store = await handle.open();
    const jobs = packJobStoreOf(store);
    const id = '0190b6a0-0000-7000-8000-000000000001';
    try {
      const request = { from, to: new Date().toISOString(), scope: { repositories: [] } };
      expect(await jobs.enqueue({ id, tenant: 'default', framework: 'soc2', request, createdAt: from }, 4)).toEqual({ accepted: true });
      // Three builders claimed it and died: each claim ran out without a renewal.
      for (let i = 0; i < 3; i++) expect((await jobs.claim(`dead-${i}`, 10 * i, 10 * i + 1))?.id).toBe(id);
    } finally {
      await store.close();
    }
    const service = await startService(site);
    services.push(service);
    const done = await settled(service, await auditorKey(service), id);
    expect(done).toMatchObject({ status: 'failed', error: expect.stringMatching(/^the build was interrupted 3 times/) });
  }, 120_000);

  it('answers for a pack from every instance sharing the store, and builds each pack exactly once', async () => {
    await prepare(1);
    const a = await startService(site);
    services.push(a);
    const b = await startService(site);
    services.push(b);
    const key = await auditorKey(a);
    const order = (s: Service, framework: string) =>
      call(`${s.url}/v1/evidence-packs`, { key, json: { framework, from, to: new Date().toISOString() } });
    const answers = await Promise.all([order(a, 'soc2'), order(b, 'hipaa'), order(a, 'iso27001'), order(b, 'eu-ai-act')]);
    expect(answers.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    const ids = answers.map((r) => r.body.id as string);
    // Each pack, queued on one instance, is known to the other at once.
    for (const [i, id] of ids.entries()) {
      const other = i % 2 === 0 ? b : a;
      const seen = await call(`${other.url}/v1/evidence-packs/${id}`, { key });
      expect(seen.status).toBe(200);
      expect(seen.body.status).toMatch(/^(queued|building|ready)$/);
    }
    for (const id of ids) {
      expect(await settled(a, key, id)).toMatchObject({ status: 'ready' });
      expect(await verifiedZip(b, key, id)).toEqual([]);
    }
    const listed = await call(`${b.url}/v1/evidence-packs`, { key });
    expect((listed.body.packs as { id: string }[]).map((p) => p.id)).toEqual([...ids].sort());
    const store = await handle.open();
    try {
      for (const id of ids) expect(await packJobStoreOf(store).find('default', id)).toMatchObject({ status: 'ready', attempts: 1 });
    } finally {
      await store.close();
    }
  }, 300_000);
});
