import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { modelInvocation } from '../libs/ledger/src/testing/events';
import { POSTGRES_URL } from '../libs/ledger/src/testing/ledger-fixture';
import { call } from './support/http-client';
import { SERVICE_MAIN, startServiceProcess } from './support/service-process';

describe('service logs', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(SERVICE_MAIN)) throw new Error(`build the service first (npm run build): ${SERVICE_MAIN} is missing`);
    dir = mkdtempSync(join(tmpdir(), 'ledger-logs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one JSON line per request, without payloads, keys or query strings', async () => {
    const adminKey = `elk_test_${randomBytes(24).toString('base64url')}`;
    const service = await startServiceProcess({
      LEDGER_STORE: `sqlite:${join(dir, 'ledger.db')}`,
      LEDGER_KEY_FILE: join(dir, 'ledger.key'),
      LEDGER_BOOTSTRAP_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'info',
    });
    try {
      const secretMarker = `payload-marker-${randomBytes(8).toString('hex')}`;
      const event = modelInvocation({ subject: secretMarker });
      const producer = await call(`${service.url}/v1/api-keys`, { key: adminKey, json: { name: 'gateway', role: 'producer' } });
      expect((await call(`${service.url}/v1/events`, { key: producer.body.key, json: event })).status).toBe(201);
      expect((await call(`${service.url}/v1/entries?type=${secretMarker}`, { key: adminKey })).status).toBe(200);
      expect((await call(`${service.url}/v1/events`, { key: 'elk_wrong', json: event })).status).toBe(401);
      await call(`${service.url}/health`);
      await new Promise((r) => setTimeout(r, 200));

      const lines = service
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg: string; req?: { method: string; path: string }; res?: { statusCode: number } });
      const requests = lines.filter((l) => l.msg === 'request completed');
      expect(requests.map((l) => [l.req?.method, l.req?.path, l.res?.statusCode])).toEqual([
        ['POST', '/v1/api-keys', 201],
        ['POST', '/v1/events', 201],
        ['GET', '/v1/entries', 200],
        ['POST', '/v1/events', 401],
      ]);
      const all = service.output();
      expect(all).not.toContain(secretMarker);
      expect(all).not.toContain(adminKey);
      expect(all).not.toContain(producer.body.key);
      expect(all).not.toContain('elk_wrong');
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });

  it('logs a store failure with its message, code, cause and stack under an error id, and tells the client only that id', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const location = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}schema=${schema}`;
    const adminKey = `elk_test_${randomBytes(24).toString('base64url')}`;
    const service = await startServiceProcess({
      LEDGER_STORE: location,
      LEDGER_KEY_FILE: join(dir, 'pg.key'),
      LEDGER_BOOTSTRAP_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'info',
    });
    const db = new Client({ connectionString: POSTGRES_URL });
    await db.connect();
    try {
      const producer = await call(`${service.url}/v1/api-keys`, { key: adminKey, json: { name: 'gateway', role: 'producer' } });
      // The database loses a table under the running service: a failure of the store.
      await db.query(`ALTER TABLE ${schema}.entries RENAME TO entries_gone`);
      const failed = await call(`${service.url}/v1/events`, { key: producer.body.key, json: modelInvocation() });
      expect(failed.status).toBe(503);
      expect(failed.body).toMatchObject({
        code: 'STORE_UNAVAILABLE',
        detail: 'the store is unavailable; nothing was written; retry later',
      });
      expect(failed.body.errorId).toMatch(/^[0-9a-f-]{36}$/);
      const reply = JSON.stringify(failed.body);
      for (const leak of ['postgres', '127.0.0.1', schema, 'entries', 'relation', 'PostgreSQL']) expect(reply).not.toContain(leak);

      // The log line travels beside the answer: wait until it has arrived.
      for (let i = 0; i < 50 && !service.output().includes(failed.body.errorId); i++) await new Promise((r) => setTimeout(r, 100));
      const lines = service
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.msg)).not.toContain('[object Object]');
      const logged = lines.find((l) => l.errorId === failed.body.errorId) as {
        msg: string;
        code: string;
        err: { type: string; message: string; code: string; stack: string; cause: { message: string; code: string } };
      };
      expect(logged).toBeDefined();
      expect(logged.msg).toMatch(/relation .*entries.* does not exist/);
      expect(logged.code).toBe('STORE_UNAVAILABLE');
      expect(logged.err).toMatchObject({ type: 'StoreError', code: 'STORE_UNAVAILABLE' });
      expect(logged.err.stack).toContain('at ');
      expect(logged.err.cause).toMatchObject({ code: '42P01' });
      expect(logged.err.cause.message).toMatch(/does not exist/);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.end();
    }
  });

  it('warns at startup when the SQLite files are readable by other users, and not when they are new', async () => {
    const fresh = await startServiceProcess({
      LEDGER_STORE: `sqlite:${join(dir, 'fresh', 'ledger.db')}`,
      LEDGER_KEY_FILE: join(dir, 'fresh.key'),
    });
    const shared = join(dir, 'shared.db');
    writeFileSync(shared, '', { mode: 0o644 });
    chmodSync(shared, 0o644);
    const old = await startServiceProcess({ LEDGER_STORE: `sqlite:${shared}`, LEDGER_KEY_FILE: join(dir, 'shared.key') });
    try {
      expect(fresh.output()).toContain('listening on');
      expect(fresh.output()).not.toContain('readable by other users');
      const warning = old.logLines().find((l) => typeof l.msg === 'string' && l.msg.includes('readable by other users'));
      expect(warning).toMatchObject({ level: 40, context: 'ledger' });
      expect(warning?.msg).toContain(`${shared} (0644)`);
      expect(warning?.msg).toContain(`chmod 600 ${shared}`);
    } finally {
      for (const s of [fresh, old]) {
        s.child.kill('SIGTERM');
        await s.exited;
      }
    }
  });

  it('refuses an unknown LOG_LEVEL before opening anything', async () => {
    const service = await startServiceProcess({ LEDGER_STORE: `sqlite:${join(dir, 'other.db')}`, LOG_LEVEL: 'chatty' });
    const code = await service.exited;
    expect(code).toBe(2);
    expect(service.output()).toMatch(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "chatty"/);
    expect(existsSync(join(dir, 'other.db'))).toBe(false);
  });
});
