import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { demoScenario } from '@evidence-ledger/ledger';
import { sqliteHandle, StoreHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { cli, CliRun, ensureCliBuilt } from './fixtures/cli-process';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';

const scenario = demoScenario();

interface DemoReport {
  url: string;
  auditorKey: string;
  publicKeyFile: string;
  events: number;
  treeSize: number;
  showcase: string;
  planted: { rule: string; changeId?: string }[];
}

// The investigator's command line against a running service: replay with every proof
// verified, an offline bundle and its verification, the demo, and rebuilding the read models.
describe('evidence-ledger replay, verify, demo and projections', () => {
  let handle: StoreHandle;
  let ledger: RunningLedger | undefined;
  let dir: string;
  let demo: DemoReport;
  let otherKey: string;
  const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
  const asAuditor = (args: string[]): Promise<CliRun> =>
    cli([...args, '--url', demo.url, '--api-key', demo.auditorKey, '--public-key', demo.publicKeyFile]);

  beforeAll(async () => {
    await ensureCliBuilt();
    dir = mkdtempSync(join(tmpdir(), 'ledger-cli-forensics-'));
    handle = sqliteHandle();
    ledger = await startLedger(newSite(handle.location), { LEDGER_PROJECTION_POLL_MS: '20' });
    const run = await cli(['demo', '--url', ledger.url, '--api-key', ledger.adminKey, '--data', dir, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    demo = run.json<DemoReport>();
    otherKey = join(dir, 'other.vkey');
    writeFileSync(otherKey, `${LocalKeySigner.generate('ledger.test').verifierKey()}\n`);
  }, 120_000);
  afterAll(async () => {
    await ledger?.close();
    await handle.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('demo', () => {
    it('seeds the scenario through the API and waits for the read models', () => {
      expect(demo.events).toBe(scenario.events.length);
      expect(demo.treeSize).toBe(scenario.events.length);
      expect(demo.planted.map((p) => p.rule)).toHaveLength(9);
    });

    it('posts nothing twice when run again with the same seed', async () => {
      const again = await cli(['demo', '--url', ledger!.url, '--api-key', ledger!.adminKey, '--data', dir, '--json']);
      expect(again.status).toBe(0);
      expect(again.json<DemoReport>().treeSize).toBe(scenario.events.length);
    });

    it('refuses --url without an admin key', async () => {
      const run = await cli(['demo', '--url', ledger!.url, '--exit']);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/api-key/);
    });
  });

  describe('replay', () => {
    it('prints the timeline with every step verified against the signed checkpoint', async () => {
      const run = await asAuditor(['replay', demo.showcase]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`change ${demo.showcase}`);
      expect(run.stdout).toMatch(/signature verified/);
      expect(run.stdout).toMatch(/^✓ #\d+ .* deployment\.rolled_back /m);
      expect(run.stdout).not.toMatch(/^✗/m);
      expect(run.stdout).toMatch(/^OK: \d+ steps/m);
    });

    it('replays as of a sequence and as of a time', async () => {
      const full = (await asAuditor(['replay', demo.showcase, '--json'])).json<{ steps: { sequence: number }[] }>();
      const point = full.steps[4].sequence;
      const bySequence = await asAuditor(['replay', demo.showcase, '--as-of', String(point), '--json']);
      expect(bySequence.status).toBe(0);
      expect(bySequence.json<{ steps: { sequence: number }[] }>().steps.map((s) => s.sequence)).toEqual(
        full.steps.slice(0, 5).map((s) => s.sequence),
      );
      const byTime = await asAuditor(['replay', demo.showcase, '--as-of', '2000-01-01T00:00:00Z']);
      expect(byTime.status).toBe(0);
      expect(byTime.stdout).toContain('OK: 0 steps');
    });

    it('fails (exit 1) when the checkpoint is not signed by the trusted key', async () => {
      const run = await cli(['replay', demo.showcase, '--url', demo.url, '--api-key', demo.auditorKey, '--public-key', otherKey]);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^FAILED/m);
      expect(run.stdout).toMatch(/checkpoint: /);
    });

    it('reports an unknown change and a bad --as-of as errors (exit 2)', async () => {
      const unknown = await asAuditor(['replay', 'github.com/acme/none#1']);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toMatch(/NOT_FOUND/);
      const bad = await asAuditor(['replay', demo.showcase, '--as-of', 'last tuesday']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/asOf must be a sequence number or an RFC 3339 time/);
    });
  });

  describe('bundles', () => {
    let bundle: string;
    const copy = (name: string) => {
      const target = join(dir, `${name}.bundle`);
      rmSync(target, { recursive: true, force: true });
      require('node:fs').cpSync(bundle, target, { recursive: true });
      return target;
    };
    const verify = (path: string, key = demo.publicKeyFile) => cli(['verify', path, '--public-key', key, '--json']);
    // Rewrites a file and, like a careful forger, its digest in the manifest.
    const forge = (path: string, file: string, change: (text: string) => string) => {
      const text = change(readFileSync(join(path, file), 'utf8'));
      writeFileSync(join(path, file), text);
      const manifest = JSON.parse(readFileSync(join(path, 'manifest.json'), 'utf8'));
      manifest.files[file] = sha(text);
      writeFileSync(join(path, 'manifest.json'), JSON.stringify(manifest));
    };

    beforeAll(async () => {
      const planted = demo.planted.find((p) => p.rule === 'merged-after-policy-deny')!.changeId!;
      bundle = join(dir, 'change.bundle');
      const run = await asAuditor(['replay', planted, '--export', bundle]);
      expect(run.status).toBe(0);
    });

    it('writes a bundle that verifies offline with the public key alone', async () => {
      const run = await verify(bundle);
      expect(run.status).toBe(0);
      expect(run.json()).toMatchObject({ ok: true, failures: [] });
      const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({ format: 'evidence-ledger/change-bundle/v1', changeId: expect.any(String) });
      // It holds the change's events: its owner's only.
      expect(statSync(bundle).mode & 0o777).toBe(0o700);
      for (const name of readdirSync(bundle)) expect([name, statSync(join(bundle, name)).mode & 0o777]).toEqual([name, 0o600]);
      expect(JSON.parse(readFileSync(join(bundle, 'exceptions.json'), 'utf8')).map((x: { rule: string }) => x.rule)).toEqual([
        'merged-after-policy-deny',
      ]);
    });

    it('refuses to overwrite a bundle without --force', async () => {
      const run = await asAuditor(['replay', demo.showcase, '--export', bundle]);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/already exists/);
    });

    it('names a file altered without updating the manifest', async () => {
      const path = copy('altered');
      writeFileSync(join(path, 'state.json'), readFileSync(join(path, 'state.json'), 'utf8').replace('merged', 'opened'));
      const run = await verify(path);
      expect(run.status).toBe(1);
      expect(run.json<{ failures: string[] }>().failures).toEqual(
        expect.arrayContaining([expect.stringMatching(/^state\.json: its SHA-256 differs/)]),
      );
    });

    it('names the entry whose bytes were changed, even when the manifest was forged to match', async () => {
      const path = copy('forged-entry');
      let sequence = -1;
      forge(path, 'entries.jsonl', (text) => {
        const lines = text
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l));
        const target = lines[2];
        sequence = target.sequence;
        const bytes = Buffer.from(target.canonical, 'base64');
        bytes[bytes.indexOf('"time"') + 10] ^= 0x01;
        target.canonical = bytes.toString('base64');
        return `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
      });
      const run = await verify(path);
      expect(run.status).toBe(1);
      expect(run.json<{ failures: string[] }>().failures).toContain(`sequence ${sequence}: the entry bytes do not hash to the leaf hash`);
    });

    it('catches a forged state, a dropped step, and a checkpoint not signed by the key', async () => {
      const state = copy('forged-state');
      forge(state, 'state.json', (text) => text.replace('"merged":{', '"mergedX":{'));
      expect((await verify(state)).json<{ failures: string[] }>().failures).toContain(
        'state: the state claimed differs from the one the entries fold to',
      );

      const dropped = copy('dropped-step');
      forge(dropped, 'entries.jsonl', (text) =>
        text
          .split('\n')
          .filter((_, i) => i !== 3)
          .join('\n'),
      );
      const droppedRun = await verify(dropped);
      expect(droppedRun.status).toBe(1);

      expect((await verify(bundle, otherKey)).status).toBe(1);
    });

    it('exports the same bundle as one zip, which verifies and names a tampered file', async () => {
      const zip = join(dir, 'change.zip');
      const planted = demo.planted.find((p) => p.rule === 'merged-after-policy-deny')!.changeId!;
      expect((await asAuditor(['replay', planted, '--export', zip])).status).toBe(0);
      expect(statSync(zip).mode & 0o777).toBe(0o600);
      const run = await verify(zip);
      expect(run.status).toBe(0);
      expect(run.json()).toMatchObject({ ok: true, failures: [] });
      const files = unzipSync(readFileSync(zip));
      expect(Object.keys(files).sort()).toEqual(readdirSync(bundle).sort());
      expect(Buffer.from(files['entries.jsonl']).equals(readFileSync(join(bundle, 'entries.jsonl')))).toBe(true);

      // A byte flipped inside an entry of the zip (re-zipped, manifest left alone).
      const lines = Buffer.from(files['entries.jsonl']).toString('utf8').trimEnd().split('\n');
      const target = JSON.parse(lines[1]);
      const bytes = Buffer.from(target.canonical, 'base64');
      bytes[bytes.indexOf('"type"') + 9] ^= 0x01;
      target.canonical = bytes.toString('base64');
      lines[1] = JSON.stringify(target);
      const tampered = join(dir, 'tampered.zip');
      writeFileSync(tampered, zipSync({ ...files, 'entries.jsonl': Buffer.from(`${lines.join('\n')}\n`) }));
      const bad = await verify(tampered);
      expect(bad.status).toBe(1);
      expect(bad.json<{ failures: string[] }>().failures).toEqual(
        expect.arrayContaining([expect.stringMatching(/^entries\.jsonl: its SHA-256 differs/)]),
      );
    });

    it('refuses a zip with an entry outside its own directory, and one that is not a zip', async () => {
      const nested = join(dir, 'nested.zip');
      writeFileSync(nested, zipSync({ '../manifest.json': Buffer.from('{}') }));
      const run = await verify(nested);
      expect(run.status).toBe(1);
      expect(run.json<{ failures: string[] }>().failures).toEqual([
        expect.stringMatching(/^pack: not a readable zip \(unexpected entry name "\.\.\/manifest\.json"/),
      ]);
      const notZip = join(dir, 'not.zip');
      writeFileSync(notZip, 'PK but not really');
      expect((await verify(notZip)).status).toBe(2);
    });

    it('refuses what is not a bundle (exit 2)', async () => {
      expect((await verify(join(dir, 'nothing-here'))).status).toBe(2);
      expect((await verify(demo.publicKeyFile)).status).toBe(2);
    });
  });

  describe('projections rebuild', () => {
    it('recreates read models from the log alone with the digest of the ones followed live', async () => {
      await ledger!.close();
      ledger = undefined;
      const before = await cli(['projections', 'status', '--store', handle.location, '--json']);
      expect(before.status).toBe(0);
      const [live] = before.json<{ tenant: string; position: number; treeSize: number; digest: string }[]>();
      expect(live).toMatchObject({ tenant: 'default', position: scenario.events.length, treeSize: scenario.events.length });
      const rebuilt = await cli(['projections', 'rebuild', '--store', handle.location, '--json']);
      expect(rebuilt.status).toBe(0);
      expect(rebuilt.json<{ digest: string; applied: number }[]>()[0]).toMatchObject({
        digest: live.digest,
        applied: scenario.events.length,
      });
      const text = await cli(['projections', 'rebuild', '--store', handle.location, '--tenant', 'default']);
      expect(text.stdout).toContain(`digest ${live.digest}`);
      expect((await cli(['projections', 'status', '--store', handle.location, '--tenant', 'nobody'])).status).toBe(2);
    });
  });
});

describe('evidence-ledger demo without a service', () => {
  it('starts one, seeds it, prints the tour and stops it', async () => {
    await ensureCliBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'ledger-demo-'));
    try {
      const env = { LEDGER_URL: '', LEDGER_API_KEY: '' };
      const run = await cli(['demo', '--exit', '--data', join(dir, 'data'), '--changes', '20'], env);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^Evidence Ledger demo: \d+ events, 20 changes/m);
      expect(run.stdout).toContain('npx evidence-ledger replay');
      for (const rule of ['merged-without-independent-approval', 'deployed-without-approval', 'agent-outside-scope'])
        expect(run.stdout).toContain(rule);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
