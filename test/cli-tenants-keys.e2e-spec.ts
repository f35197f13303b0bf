import { StoreHandle, STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { modelInvocation } from '../libs/ledger/src/testing/events';
import { cli, ensureCliBuilt } from './fixtures/cli-process';
import { call } from './support/http-client';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';

describe.each(STORES)('tenants and keys from the command line on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let ledger: RunningLedger;

  beforeAll(async () => {
    await ensureCliBuilt();
    handle = makeHandle();
    ledger = await startLedger(newSite(handle.location));
  });
  afterAll(async () => {
    await ledger.close();
    await handle.cleanup();
  });

  it('creates a tenant whose printed admin key works against the running service, with its own empty log', async () => {
    const run = await cli(['tenants', 'create', 'globex', '--store', handle.location, '--json']);
    expect(run.status).toBe(0);
    const { adminKey } = run.json<{ adminKey: string }>();
    const checkpoint = await call(`${ledger.url}/v1/checkpoint`, { key: adminKey });
    expect(checkpoint.status).toBe(404);
    const producer = await call(`${ledger.url}/v1/api-keys`, { key: adminKey, json: { name: 'p', role: 'producer' } });
    const posted = await call(`${ledger.url}/v1/events`, { key: producer.body.key, json: modelInvocation() });
    expect(posted.body.checkpoint.split('\n')[0]).toBe('ledger.test/globex');
    expect((await cli(['tenants', 'list', '--store', handle.location])).stdout).toMatch(/^default\t.*\nglobex\t/m);
  });

  it.each([
    [['tenants', 'create', 'Not A Name'], /not a tenant name/],
    [['tenants', 'create', 'default'], /already exists/],
    [['tenants', 'create', 'x', '--store', 'mysql://nope'], /unknown store/],
  ])('refuses %j with a one-line error and exit 2', async (args, message) => {
    const run = await cli(args.includes('--store') ? args : [...args, '--store', handle.location]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('creates, lists and revokes API keys through the service', async () => {
    const env = { LEDGER_URL: ledger.url, LEDGER_API_KEY: ledger.adminKey };
    const created = await cli(
      ['keys', 'create', '--name', 'ci-recorder', '--role', 'producer', '--source-prefix', 'urn:acme:ci', '--json'],
      env,
    );
    expect(created.status).toBe(0);
    const key = created.json<{ id: string; key: string }>();
    expect((await call(`${ledger.url}/v1/events`, { key: key.key, json: modelInvocation({ source: 'urn:acme:ci/build' }) })).status).toBe(
      201,
    );
    const listed = await cli(['keys', 'list'], env);
    expect(listed.stdout).toContain(key.id);
    expect(listed.stdout).not.toContain(key.key);
    expect((await cli(['keys', 'revoke', key.id], env)).status).toBe(0);
    expect((await call(`${ledger.url}/v1/events`, { key: key.key, json: modelInvocation({ source: 'urn:acme:ci/build' }) })).status).toBe(
      401,
    );
  });

  it.each([
    ['a wrong API key', ['keys', 'list', '--api-key', 'elk_wrong-key-000000000000000000000000'], /UNAUTHENTICATED/],
    ['an unreachable service', ['keys', 'list', '--url', 'http://127.0.0.1:1'], /cannot reach the ledger/],
    ['an unknown role', ['keys', 'create', '--name', 'x', '--role', 'root'], /root/],
    ['a key of another tenant', ['keys', 'revoke', 'ffffffffffffffff'], /NOT_FOUND/],
    ['a missing API key', ['keys', 'list'], /api-key/],
  ])('reports %s in one line with exit 2', async (what, args, message) => {
    const env: Record<string, string> = {
      LEDGER_URL: ledger.url,
      ...(what === 'a missing API key' ? {} : { LEDGER_API_KEY: ledger.adminKey }),
    };
    const run = await cli(args, env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
