import Database from 'better-sqlite3';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ledger } from '@evidence-ledger/ledger';
import { demoScenario } from '@evidence-ledger/samples';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { SqliteLedgerStore } from '@evidence-ledger/store';
import { cli, ensureCliBuilt } from './fixtures/cli-process';

const MAIN = resolve(__dirname, '..', 'apps', 'ledger', 'dist', 'main.js');
const ENTRIES = 60_000;

// Change histories for the default tenant: the demo scenario repeated, change ids unique per round.
async function writeLog(file: string): Promise<number> {
  const store = await SqliteLedgerStore.open(file);
  await store.migrate();
  const ledger = new Ledger({ store, signer: LocalKeySigner.generate('ledger.test'), originPrefix: 'ledger.test' });
  let calls = 0;
  let written = 0;
  for (let round = 0; written < ENTRIES; round++) {
    const events = JSON.parse(JSON.stringify(demoScenario({ seed: 500 + round }).events).replace(/#(\d+)/g, `#${round}-$1`)) as Record<
      string,
      unknown
    >[];
    const take = events.slice(0, ENTRIES - written);
    for (let i = 0; i < take.length; i += 1000) await ledger.append('default', 'producer', take.slice(i, i + 1000));
    written += take.length;
    calls += take.filter((e) => e.type === 'model.invocation.completed').length;
  }
  await ledger.close();
  await store.close();
  return calls;
}

function startService(dir: string): ChildProcess {
  return spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LEDGER_STORE: `sqlite:${join(dir, 'ledger.db')}`,
      LEDGER_KEY_FILE: join(dir, 'ledger.key'),
      LEDGER_BOOTSTRAP_ADMIN_KEY: `elk_test_${randomBytes(24).toString('base64url')}`,
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
}

// The forensics tables' position, read from the file by an independent connection.
function position(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT position FROM projection_positions WHERE tenant = 'default' AND projection = 'forensics'").get() as
      { position: number } | undefined;
    return row?.position ?? 0;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

async function until(test: () => boolean, what: string, ms = 60_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    if (test()) return;
    await new Promise((done) => setTimeout(done, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const exited = (child: ChildProcess) =>
  new Promise<void>((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())));

describe('a service killed while it catches up its forensics tables', () => {
  let dir: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('continues after a restart from the committed position, neither skipping nor double-applying', async () => {
    await ensureCliBuilt();
    dir = mkdtempSync(join(tmpdir(), 'ledger-restart-'));
    const file = join(dir, 'ledger.db');
    const calls = await writeLog(file);

    const first = startService(dir);
    await until(() => position(file) > 0, 'the first projection commit');
    first.kill('SIGKILL');
    await exited(first);
    const killedAt = position(file);
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(ENTRIES);

    const second = startService(dir);
    try {
      await until(() => position(file) === ENTRIES, 'the restarted service to catch up');
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }

    const followed = await cli(['forensics', 'status', '--store', `sqlite:${file}`, '--json']);
    const [live] = followed.json<{ position: number; digest: string }[]>();
    expect(live.position).toBe(ENTRIES);
    const db = new Database(file, { readonly: true });
    const models = db.prepare("SELECT doc FROM rm_models WHERE tenant = 'default'").all() as { doc: string }[];
    const timeline = (db.prepare("SELECT count(*) AS n FROM rm_timeline WHERE tenant = 'default'").get() as { n: number }).n;
    db.close();
    expect(models.reduce((n, m) => n + (JSON.parse(m.doc) as { calls: number }).calls, 0)).toBe(calls);
    expect(timeline).toBeGreaterThan(ENTRIES * 0.9);

    const rebuilt = await cli(['forensics', 'rebuild', '--store', `sqlite:${file}`, '--json']);
    expect(rebuilt.json<{ digest: string }[]>()[0].digest).toBe(live.digest);
  }, 300_000);
});
