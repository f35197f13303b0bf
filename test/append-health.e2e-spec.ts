import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { uuidv7 } from '../libs/ledger/src/testing/events';
import { call } from './support/http-client';
import { SERVICE_MAIN, ServiceProcess, startServiceProcess } from './support/service-process';

const FILE_SIZE_LIMIT = 3 * 1024 * 1024;

// A batch of 100 events of ~2 KiB each: a few of them fill the service's file size limit.
const batch = () =>
  Array.from({ length: 100 }, () => ({
    specversion: '1.0',
    id: uuidv7(),
    source: 'urn:acme:gateway',
    type: 'x.acme.padding',
    data: { pad: randomBytes(1024).toString('hex') },
  }));

const metric = (text: string, name: string): number[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .map((l) => Number(l.split(' ').pop()));

// The service's SQLite files may not grow past FILE_SIZE_LIMIT (RLIMIT_FSIZE, set with
// prlimit): writes past it fail with EFBIG, which SQLite reports as a disk I/O error, as it
// reports ENOSPC as "database or disk is full" — reads still work, so only the append
// indicator can tell.
describe('/health when appends fail', () => {
  let dir: string;
  let service: ServiceProcess;
  const adminKey = `elk_test_${randomBytes(24).toString('base64url')}`;

  beforeAll(async () => {
    if (!existsSync(SERVICE_MAIN)) throw new Error(`build the service first (npm run build): ${SERVICE_MAIN} is missing`);
    dir = mkdtempSync(join(tmpdir(), 'ledger-full-'));
    service = await startServiceProcess(
      {
        LEDGER_STORE: `sqlite:${join(dir, 'ledger.db')}`,
        LEDGER_KEY_FILE: join(dir, 'ledger.key'),
        LEDGER_BOOTSTRAP_ADMIN_KEY: adminKey,
        LEDGER_RATE_LIMIT: '0',
        LOG_LEVEL: 'error',
      },
      ['prlimit', `--fsize=${FILE_SIZE_LIMIT}:unlimited`, '--'],
    );
  });
  afterAll(async () => {
    service.child.kill('SIGTERM');
    await service.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes down while most appends fail because the store cannot write, says so in /metrics, and comes back once they succeed', async () => {
    const producer = await call(`${service.url}/v1/api-keys`, { key: adminKey, json: { name: 'gateway', role: 'producer' } });
    expect(producer.status).toBe(201);
    const post = () => call(`${service.url}/v1/events`, { key: producer.body.key, json: batch() });

    let succeeded = 0;
    let failed;
    for (let i = 0; i < 60 && !failed; i++) {
      const res = await post();
      if (res.status === 201) succeeded++;
      else failed = res;
    }
    expect(succeeded).toBeGreaterThan(0);
    expect(failed).toMatchObject({ status: 503, body: { code: 'STORE_UNAVAILABLE' } });
    // The log line is written beside the answer, not before it: give it a moment to arrive.
    for (let i = 0; i < 50 && !service.output().includes('disk I/O error'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(service.output()).toContain('disk I/O error');

    // Healthy while the successes outweigh the failures; down once the failures are the majority.
    let health = await call(`${service.url}/health`);
    for (let i = 0; i < 40 && health.status === 200; i++) {
      expect((await post()).status).toBe(503);
      health = await call(`${service.url}/health`);
    }
    expect(health.status).toBe(503);
    expect(health.body.details).toMatchObject({
      store: { status: 'up' },
      appends: { status: 'down', lastFailure: { code: 'STORE_UNAVAILABLE' } },
    });
    expect(health.body.details.appends.recentFailures * 2).toBeGreaterThan(health.body.details.appends.recentCommits);
    expect(health.text).not.toContain('disk I/O');
    let metrics = await call(`${service.url}/metrics`);
    expect(metric(metrics.text, 'ledger_appends_healthy')).toEqual([0]);
    expect(metric(metrics.text, 'ledger_append_failures_total{code="STORE_UNAVAILABLE"}')[0]).toBeGreaterThan(0);

    // The operator frees space (here: lifts the limit); appends succeed and health follows.
    execFileSync('prlimit', ['--pid', String(service.child.pid), '--fsize=unlimited']);
    for (let i = 0; i < 40 && health.status !== 200; i++) {
      expect((await post()).status).toBe(201);
      health = await call(`${service.url}/health`);
    }
    expect(health.status).toBe(200);
    expect(health.body.details.appends).toMatchObject({ status: 'up', lastFailure: { code: 'STORE_UNAVAILABLE' } });
    metrics = await call(`${service.url}/metrics`);
    expect(metric(metrics.text, 'ledger_appends_healthy')).toEqual([1]);
  });
});
