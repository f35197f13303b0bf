import { StoreHandle, STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { modelInvocation } from '../libs/ledger/src/testing/events';
import { cli, ensureCliBuilt } from './fixtures/cli-process';
import { call } from './support/http-client';
import { LedgerSite, newSite, RunningLedger, startLedger } from './support/ledger-server';

describe.each(STORES)('tenants and keys from the command line on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let ledger: RunningLedger;
  let site: LedgerSite;

  beforeAll(async () => {
    await ensureCliBuilt();
    handle = makeHandle();
    site = newSite(handle.location);
    ledger = await startLedger(site);
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

  it("refuses to revoke the tenant's last active admin key over HTTP (409), and allows it once another exists", async () => {
    const { adminKey } = (await cli(['tenants', 'create', 'hooli', '--store', handle.location, '--json'])).json<{ adminKey: string }>();
    const keys = await call(`${ledger.url}/v1/api-keys`, { key: adminKey });
    const [only] = keys.body.keys as { id: string }[];
    const refused = await call(`${ledger.url}/v1/api-keys/${only.id}`, { method: 'DELETE', key: adminKey });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'LAST_ADMIN_KEY' });
    expect((await call(`${ledger.url}/v1/api-keys`, { key: adminKey })).status).toBe(200);

    const second = await call(`${ledger.url}/v1/api-keys`, { key: adminKey, json: { name: 'second admin', role: 'admin' } });
    expect((await call(`${ledger.url}/v1/api-keys/${only.id}`, { method: 'DELETE', key: second.body.key })).status).toBe(204);
    expect((await call(`${ledger.url}/v1/api-keys/${second.body.id}`, { method: 'DELETE', key: second.body.key })).status).toBe(409);
  });

  it('issues a break-glass admin key with store access, recorded in the log with operator and reason', async () => {
    const { adminKey } = (await cli(['tenants', 'create', 'initech', '--store', handle.location, '--json'])).json<{ adminKey: string }>();
    const producer = await call(`${ledger.url}/v1/api-keys`, { key: adminKey, json: { name: 'p', role: 'producer' } });
    expect((await call(`${ledger.url}/v1/events`, { key: producer.body.key, json: modelInvocation() })).status).toBe(201);
    // The admin key is lost: the tenant has no way to administer itself.

    const run = await cli([
      'keys',
      'break-glass',
      '--store',
      handle.location,
      '--tenant',
      'initech',
      '--reason',
      'INC-4711: the only admin key was revoked',
      '--operator',
      'alice',
      '--key-file',
      site.keyFile,
      '--origin-prefix',
      'ledger.test',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const issued = run.json<{ adminKey: string; adminKeyId: string; sequence: number; operator: string }>();
    expect(issued).toMatchObject({ sequence: 1, operator: 'alice' });

    // The new key administers the tenant on the running service at once.
    const keys = await call(`${ledger.url}/v1/api-keys`, { key: issued.adminKey });
    expect(keys.status).toBe(200);
    expect(keys.body.keys).toEqual(expect.arrayContaining([expect.objectContaining({ id: issued.adminKeyId, role: 'admin' })]));

    const entry = await call(`${ledger.url}/v1/entries/${issued.sequence}`, { key: issued.adminKey });
    expect(entry.body.entry).toMatchObject({
      type: 'ledger.api-key.break-glass',
      producer: 'evidence-ledger',
      tenant: 'initech',
      data: { keyId: issued.adminKeyId, role: 'admin', operator: 'alice', reason: 'INC-4711: the only admin key was revoked' },
    });
    // The service goes on with the same chain after the CLI appended to it.
    const next = await call(`${ledger.url}/v1/events`, { key: producer.body.key, json: modelInvocation() });
    expect(next.body.sequence).toBe(2);
    const verified = await cli(['verify-log', '--store', handle.location, '--tenant', 'initech', '--public-key', `${site.keyFile}.vkey`]);
    expect(verified.status).toBe(0);
  });

  it.each([
    ['no reason', ['--tenant', 'initech'], /reason/],
    ['an empty reason', ['--tenant', 'initech', '--reason', ' '], /reason is required/],
    ['an unknown tenant', ['--tenant', 'nobody', '--reason', 'x'], /nobody does not exist/],
    [
      'another origin prefix than the logs',
      ['--tenant', 'initech', '--reason', 'x', '--origin-prefix', 'elsewhere'],
      /pass --origin-prefix ledger\.test/,
    ],
  ])('refuses a break-glass with %s (exit 2), issuing nothing', async (_what, args, message) => {
    const before = await handle.open();
    const keysBefore = await (before as unknown as { countApiKeys(): Promise<number> }).countApiKeys();
    const sizeBefore = (await before.head('initech')).treeSize;
    await before.close();
    const run = await cli([
      'keys',
      'break-glass',
      '--store',
      handle.location,
      '--key-file',
      site.keyFile,
      '--origin-prefix',
      'ledger.test',
      ...args,
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    const after = await handle.open();
    expect(await (after as unknown as { countApiKeys(): Promise<number> }).countApiKeys()).toBe(keysBefore);
    expect((await after.head('initech')).treeSize).toBe(sizeBefore);
    await after.close();
  });
});
