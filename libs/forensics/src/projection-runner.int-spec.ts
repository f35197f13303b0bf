import { LedgerStore, ForensicsStore, forensicsStoreOf } from '@evidence-ledger/store';
import { demoScenario } from '@evidence-ledger/samples';
import { ledgerOver, StoreHandle, STORES } from '../../ledger/src/testing/ledger-fixture';
import { ForensicsProjection } from './forensics-projection';
import { Projection } from './projection';
import { ProjectionHost } from './projection-host';
import { ProjectionRunner } from './projection-runner';
import { ModelUsageDoc } from '@evidence-ledger/core';

const scenario = demoScenario();
const projection = new ForensicsProjection();
const SCHEMA = { tables: projection.tables };

async function dump(tables: ForensicsStore, tenant: string): Promise<string> {
  const lines: string[] = [];
  for await (const d of tables.dump(tenant)) lines.push(JSON.stringify(d));
  return lines.join('\n');
}

async function append(store: LedgerStore, tenant: string, events: Record<string, unknown>[], chunk = 40): Promise<void> {
  const ledger = ledgerOver(store);
  for (let i = 0; i < events.length; i += chunk) await ledger.append(tenant, 'producer-1', events.slice(i, i + chunk));
  await ledger.close();
}

// A projection that fails in the middle of its `n`th batch, after it has computed rows.
function failingOn(n: number): Projection {
  let calls = 0;
  return {
    name: projection.name,
    tables: projection.tables,
    async apply(entries, rows) {
      const upserts = await projection.apply(entries, rows);
      if (++calls === n) throw new Error('the process died here');
      return upserts;
    },
  };
}

describe.each(STORES)('the projection runner on %s', (_name, makeHandle) => {
  let handle: StoreHandle;
  let store: LedgerStore;
  let tables: ForensicsStore;
  const runner = (batchSize: number, p: Projection = projection, on: ForensicsStore = tables, tenant = 'acme') =>
    new ProjectionRunner({ store: on, tenant, projections: [p], batchSize });

  beforeEach(async () => {
    handle = makeHandle();
    store = await handle.open();
    tables = forensicsStoreOf(store);
    await tables.migrate(SCHEMA);
  });
  afterEach(async () => {
    await store.close();
    await handle.cleanup();
  });

  async function rebuilt(tenant = 'acme'): Promise<string> {
    await tables.reset();
    await runner(5000, projection, tables, tenant).catchUp();
    return dump(tables, tenant);
  }

  it('rebuilds byte-identical forensics tables from the log alone, however it was fed', async () => {
    // Live: entries arrive while the runner follows, in small batches.
    const events = scenario.events;
    const live = runner(17);
    for (let i = 0; i < events.length; i += 60) {
      await append(store, 'acme', events.slice(i, i + 60), 25);
      await live.catchUp();
    }
    const followed = await dump(tables, 'acme');
    expect((await tables.positions('acme')).forensics).toBe(events.length);
    expect(await rebuilt()).toBe(followed);
  });

  it('after a crash in the middle of a batch, a restarted runner neither skips nor double-applies', async () => {
    await append(store, 'acme', scenario.events);
    const crashing = runner(50, failingOn(4));
    await crashing.step();
    await crashing.step();
    await crashing.step();
    await expect(crashing.step()).rejects.toThrow('the process died here');
    expect((await tables.positions('acme')).forensics).toBe(150);

    // A new process: another connection, a fresh runner, from the stored position.
    const restarted = await handle.open();
    try {
      const again = forensicsStoreOf(restarted);
      await again.migrate(SCHEMA);
      await runner(50, projection, again).catchUp();
      const afterRestart = await dump(again, 'acme');
      const calls = scenario.events.filter((e) => e.type === 'model.invocation.completed').length;
      const usage = [];
      for await (const d of again.dump('acme')) if (d.table === 'models') usage.push(JSON.parse(d.row.doc) as ModelUsageDoc);
      expect(usage.reduce((n, m) => n + m.calls, 0)).toBe(calls);
      expect(await rebuilt()).toBe(afterRestart);
    } finally {
      await restarted.close();
    }
  });

  it('lets two runners follow one tenant at once without applying an entry twice', async () => {
    await append(store, 'acme', scenario.events);
    const other = await handle.open();
    try {
      const otherTables = forensicsStoreOf(other);
      await otherTables.migrate(SCHEMA);
      const follow = async (r: ProjectionRunner) => {
        for (;;) {
          try {
            if ((await r.step()).caughtUp) return;
          } catch (e) {
            if ((e as { code?: string }).code !== 'STORE_CONFLICT') throw e;
            await new Promise((done) => setTimeout(done, 5));
          }
        }
      };
      await Promise.all([follow(runner(20)), follow(runner(20, projection, otherTables))]);
      await follow(runner(20));
      const together = await dump(tables, 'acme');
      expect(await rebuilt()).toBe(together);
    } finally {
      await other.close();
    }
  });

  it('keeps each tenant to its own forensics tables', async () => {
    await append(store, 'acme', scenario.events.slice(0, 100));
    await append(store, 'globex', scenario.events.slice(100, 150));
    await runner(1000).catchUp();
    expect(await dump(tables, 'globex')).toBe('');
    await runner(1000, projection, tables, 'globex').catchUp();
    const globex = await dump(tables, 'globex');
    expect(globex).not.toBe('');
    expect(globex).not.toContain('"tenant"');
    await tables.reset('acme');
    expect(await dump(tables, 'globex')).toBe(globex);
  });

  it('hosts a runner per tenant that follows new entries live and stops cleanly', async () => {
    const host = new ProjectionHost({
      ledgerStore: store,
      forensicsStore: tables,
      projections: [projection],
      pollIntervalMs: 20,
      tenantScanIntervalMs: 20,
    });
    await host.start();
    try {
      await append(store, 'acme', scenario.events.slice(0, 200));
      await append(store, 'globex', scenario.events.slice(200, 230));
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const status = host.status();
        const positions = Object.fromEntries(status.map((s) => [s.tenant, s.position]));
        if (positions.acme === 200 && positions.globex === 30) break;
        await new Promise((done) => setTimeout(done, 20));
      }
      expect(host.status().map((s) => [s.tenant, s.position])).toEqual([
        ['acme', 200],
        ['globex', 30],
      ]);
      expect(host.totalLag()).toBe(0);
    } finally {
      await host.stop();
    }
  });

  it('projects a notified commit at once, even one notified while the loop was reading the head', async () => {
    await append(store, 'acme', scenario.events.slice(0, 10));
    // The real store, except that one head read (when armed) waits for the test to let it return.
    let gate: { reached: () => void; release: Promise<void> } | undefined;
    const gated: LedgerStore = Object.create(store, {
      head: {
        value: async (tenant: string) => {
          const head = await store.head(tenant);
          const held = gate;
          gate = undefined;
          if (held) {
            held.reached();
            await held.release;
          }
          return head;
        },
      },
    });
    // Polling effectively off: only `notify` can bring the loop back within the test.
    const host = new ProjectionHost({
      ledgerStore: gated,
      forensicsStore: tables,
      projections: [projection],
      pollIntervalMs: 600_000,
      tenantScanIntervalMs: 600_000,
    });
    const positionReaches = async (n: number) => {
      for (const deadline = Date.now() + 5_000; Date.now() < deadline && host.status()[0]?.position !== n;)
        await new Promise((done) => setTimeout(done, 10));
      return host.status()[0]?.position;
    };
    await host.start();
    try {
      expect(await positionReaches(10)).toBe(10);
      await append(store, 'acme', scenario.events.slice(10, 15));
      host.notify('acme');
      expect(await positionReaches(15)).toBe(15);

      // The loop reads the head (15), then a commit lands and is notified before it sleeps.
      let release!: () => void;
      const reached = new Promise<void>((r) => (gate = { reached: r, release: new Promise<void>((go) => (release = go)) }));
      host.notify('acme');
      await reached;
      await append(store, 'acme', scenario.events.slice(15, 20));
      host.notify('acme');
      release();
      expect(await positionReaches(20)).toBe(20);
    } finally {
      await host.stop();
    }
  });

  it('waits out the retry delay after a failed step however many commits are notified meanwhile', async () => {
    await append(store, 'acme', scenario.events.slice(0, 5));
    let headReads = 0;
    const failingOnce: LedgerStore = Object.create(store, {
      head: {
        value: async (tenant: string) => {
          if (++headReads === 1) throw Object.assign(new Error('the database went away'), { code: 'STORE_UNAVAILABLE' });
          return store.head(tenant);
        },
      },
    });
    let failed!: () => void;
    const failure = new Promise<void>((r) => (failed = r));
    const host = new ProjectionHost({
      ledgerStore: failingOnce,
      forensicsStore: tables,
      projections: [projection],
      pollIntervalMs: 600_000,
      tenantScanIntervalMs: 600_000,
      retryDelayMs: 600_000,
      onError: () => failed(),
    });
    await host.start();
    try {
      await failure;
      for (let i = 0; i < 3; i++) host.notify('acme');
      // Enough turns of the event loop for a woken loop to have read the head again.
      for (let i = 0; i < 20; i++) await new Promise((done) => setImmediate(done));
      expect(headReads).toBe(1);
    } finally {
      await host.stop();
    }
  });
});
