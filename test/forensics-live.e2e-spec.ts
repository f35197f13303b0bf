import { existsSync } from 'node:fs';
import { Ledger } from '@evidence-ledger/ledger';
import { demoScenario } from '@evidence-ledger/samples';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { StoreHandle, STORES } from '../libs/ledger/src/testing/ledger-fixture';
import { call } from './support/http-client';
import { LedgerSite, newSite } from './support/ledger-server';
import { SERVICE_MAIN, ServiceProcess, startServiceProcess } from './support/service-process';

const scenario = demoScenario();
// The showcase change's events a producer key may post, in log order.
const change = scenario.events.filter(
  (e) => JSON.stringify(e).includes(JSON.stringify(scenario.showcase).slice(1, -1)) && !String(e.type).startsWith('x.'),
);
const timelinePath = `/v1/changes/${encodeURIComponent(scenario.showcase)}/timeline?proofs=false`;

// The ids in the change's timeline, re-read for up to `seconds` until it holds `ids` — a bound
// on how long the test waits for a broken build, not a claim about how fast projection is.
async function timelineUntil(ledger: ServiceProcess, key: string, ids: readonly unknown[], seconds = 5): Promise<unknown[]> {
  let seen: unknown[] = [];
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; await new Promise((done) => setTimeout(done, 20))) {
    const res = await call(`${ledger.url}${timelinePath}`, { key });
    seen = res.status === 200 ? res.body.steps.map((s: { eventId: unknown }) => s.eventId) : [];
    if (ids.every((id) => seen.includes(id))) break;
  }
  return seen;
}

describe.each(STORES)('forensics tables following the log on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let site: LedgerSite;
  let ledger: ServiceProcess | undefined;

  // The built service in its own process, as `npm start` runs it.
  const start = (pollMs: string) =>
    startServiceProcess({
      LEDGER_STORE: site.store,
      LEDGER_KEY_FILE: site.keyFile,
      LEDGER_ORIGIN: 'ledger.test',
      LEDGER_BOOTSTRAP_ADMIN_KEY: site.adminKey,
      LEDGER_FORENSICS_POLL_MS: pollMs,
      LOG_LEVEL: 'error',
    });

  beforeAll(() => {
    if (!existsSync(SERVICE_MAIN)) throw new Error(`build the service first (npm run build): ${SERVICE_MAIN} is missing`);
  });
  beforeEach(() => {
    handle = makeHandle();
    site = newSite(handle.location);
  });
  afterEach(async () => {
    ledger?.child.kill('SIGTERM');
    await ledger?.exited;
    ledger = undefined;
    await handle.cleanup();
  });

  const keyOf = async (role: string) =>
    (await call(`${ledger!.url}/v1/api-keys`, { key: site.adminKey, json: { name: role, role } })).body.key as string;

  it("projects the service's own appends at once: the commit is published and the projection host reacts, no poll needed", async () => {
    expect(change.length).toBeGreaterThanOrEqual(4);
    // Polling effectively off: a minute between checks of an idle tenant's head.
    ledger = await start('60000');
    const producer = await keyOf('producer');
    const auditor = await keyOf('auditor');
    const posted: unknown[] = [];
    for (const batch of [[change[0]], [change[1]], change.slice(2)]) {
      expect((await call(`${ledger.url}/v1/events`, { key: producer, json: batch })).status).toBe(201);
      posted.push(...batch.map((e) => e.id));
      expect(await timelineUntil(ledger, auditor, posted)).toEqual(posted);
    }
  });

  it('still projects entries another writer appended to the same database, through the poll', async () => {
    ledger = await start('20');
    const producer = await keyOf('producer');
    const auditor = await keyOf('auditor');
    expect((await call(`${ledger.url}/v1/events`, { key: producer, json: [change[0]] })).status).toBe(201);
    expect(await timelineUntil(ledger, auditor, [change[0].id])).toEqual([change[0].id]);

    // Another process writing to the same database (this test's, as the CLI would): its
    // commits are never published to the service, only the service's poll can find them.
    const store = await handle.open();
    const other = new Ledger({
      store,
      signer: await LocalKeySigner.loadOrCreate(site.keyFile, 'ledger.test'),
      originPrefix: 'ledger.test',
    });
    try {
      await other.append('default', 'other-writer', [change[1]]);
    } finally {
      await other.close();
      await store.close();
    }
    expect(await timelineUntil(ledger, auditor, [change[0].id, change[1].id], 10)).toEqual([change[0].id, change[1].id]);
    const status = (await call(`${ledger.url}/v1/forensics/status`, { key: auditor })).body.forensics[0];
    expect(status).toMatchObject({ position: 2, treeSize: 2, lag: 0 });
  });
});
