import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { demoScenario } from '@evidence-ledger/samples';
import { sqliteHandle, StoreHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { deflatedZeros, withRawEntry } from '../libs/evidence/src/testing/zip-bomb';
import { cli, CliRun, ensureCliBuilt, REPO_ROOT } from './fixtures/cli-process';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';

const scenario = demoScenario();
// The demo's log: the story, then the response management records once the pack period is over.
const logged = scenario.events.length + scenario.responses.afterPeriod.length;

interface DemoReport {
  url: string;
  auditorKey: string;
  publicKeyFile: string;
  events: number;
  treeSize: number;
  showcase: string;
  planted: { rule: string; changeId?: string }[];
  clocks: { occurred: { from: string; to: string }; recorded: { from: string; to: string } };
  packPeriod: { from: string; to: string };
  showcaseMerge: { sequence: number; recordedAt: string; time: string };
}

interface StepCheck {
  sequence: number;
  type: string;
  recordedAt: string;
  time?: string;
  ok: boolean;
}

// The investigator's command line against a running service: replay with every proof
// verified, an offline bundle and its verification, the demo, and rebuilding the forensics tables.
describe('evidence-ledger replay, verify, demo and forensics', () => {
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
    ledger = await startLedger(newSite(handle.location), { LEDGER_FORENSICS_POLL_MS: '20' });
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
    it('seeds the scenario through the API and waits for the forensics tables', () => {
      expect(demo.events).toBe(scenario.events.length);
      expect(demo.treeSize).toBe(logged);
      expect(demo.planted.map((p) => p.rule)).toHaveLength(9);
    });

    it('tells a story that happened just before it was recorded, and a pack period that holds it by either clock', () => {
      const { occurred, recorded } = demo.clocks;
      const started = Date.now() - 120_000;
      // The producers' clock: the story ends before the demo posts it; the ledger's: it was posted during this run.
      expect(occurred.from < occurred.to && occurred.to < recorded.from && recorded.from <= recorded.to).toBe(true);
      expect(Date.parse(recorded.from)).toBeGreaterThan(started);
      expect(Date.parse(occurred.to)).toBeGreaterThan(Date.parse(recorded.from) - 3_600_000);
      // Nothing is late evidence to a pack: every event is recorded well within a day of happening.
      expect(Date.parse(recorded.to) - Date.parse(occurred.from)).toBeLessThan(13 * 3_600_000);
      for (const t of [occurred.from, occurred.to, recorded.from, recorded.to])
        expect(demo.packPeriod.from <= t && t < demo.packPeriod.to).toBe(true);
      // A period that is over by the time the tour is read: the service refuses one that is not.
      expect(Date.parse(demo.packPeriod.to)).toBeLessThanOrEqual(Date.now());
      expect(demo.showcaseMerge.time >= occurred.from && demo.showcaseMerge.time <= occurred.to).toBe(true);
    });

    it('posts nothing twice when run again with the same seed: the story keeps the times it was first posted with', async () => {
      const again = await cli(['demo', '--url', ledger!.url, '--api-key', ledger!.adminKey, '--data', dir, '--json']);
      expect(again.stderr).toBe('');
      expect(again.status).toBe(0);
      expect(again.json<DemoReport>().treeSize).toBe(logged);
      expect(again.json<DemoReport>().clocks).toEqual(demo.clocks);
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
      const byTime = await asAuditor(['replay', demo.showcase, '--as-of', `recorded:${demo.clocks.recorded.to}`, '--json']);
      expect(byTime.status).toBe(0);
      expect(byTime.json<{ steps: StepCheck[] }>().steps.length).toBe(full.steps.length);
    });

    it('says plainly that a point before anything shows and proves nothing, and exits 1 (never OK over zero steps)', async () => {
      const before = await asAuditor(['replay', demo.showcase, '--as-of', '2000-01-01T00:00:00Z']);
      expect(before.status).toBe(1);
      expect(before.stdout).not.toMatch(/^OK/m);
      expect(before.stdout).toMatch(/signature verified/);
      expect(before.stdout).toMatch(
        /^NOT VERIFIED: nothing to show — no entry of change \S+ lies at or before recorded:2000-01-01T00:00:00\.000Z; nothing was verified/m,
      );
      expect(before.stdout).toContain('a time without recorded: or occurred: is read on the recorded clock');
      const json = await asAuditor(['replay', demo.showcase, '--as-of', 'occurred:2000-01-01T00:00:00Z', '--json']);
      expect(json.status).toBe(1);
      expect(json.json()).toMatchObject({ ok: false, outcome: 'empty', steps: [], asOf: { clock: 'occurred' } });
      const bundle = join(dir, 'empty.bundle');
      const exported = await asAuditor(['replay', demo.showcase, '--as-of', '0', '--export', bundle]);
      expect(exported.status).toBe(1);
      expect(exported.stderr).toMatch(/no bundle written/);
      expect(require('node:fs').existsSync(bundle)).toBe(false);
    });

    it('shows both clocks on every step and on every entry the state refers to', async () => {
      const run = await asAuditor(['replay', demo.showcase]);
      const steps = run.stdout.split('\n').filter((l) => /^[✓✗] #/.test(l));
      expect(steps.length).toBeGreaterThan(5);
      for (const line of steps) expect(line).toMatch(/^✓ #\d+ +occurred \d{4}-\S+Z +recorded \d{4}-\S+\.\d{3}Z /);
      expect(run.stdout).toMatch(/^clocks: occurred = the producer's `time`.*recorded = the ledger's `recordedAt`.*proven by the log/m);
      expect(run.stdout).toMatch(
        new RegExp(
          `^merged: #${demo.showcaseMerge.sequence} \\(occurred ${demo.showcaseMerge.time}, recorded ${demo.showcaseMerge.recordedAt}\\)`,
          'm',
        ),
      );
      expect(run.stdout).toMatch(/^rolled back: production at #\d+ \(occurred \S+, recorded \S+\)/m);
      const planted = demo.planted.find((p) => p.rule === 'merged-after-policy-deny')!.changeId!;
      expect((await asAuditor(['replay', planted])).stdout).toMatch(
        /^ {2}! #\d+ \(occurred \d{4}-\S+Z, recorded \d{4}-\S+Z\) merged-after-policy-deny: /m,
      );
      const json = (await asAuditor(['replay', demo.showcase, '--json'])).json<{ steps: StepCheck[] }>();
      for (const s of json.steps) expect(s).toEqual(expect.objectContaining({ recordedAt: expect.any(String), time: expect.any(String) }));
    });

    it("replays to an instant on either clock: occurred (the producers') or recorded (the ledger's)", async () => {
      const merge = demo.showcaseMerge;
      const occurred = await asAuditor(['replay', demo.showcase, '--as-of', `occurred:${merge.time}`, '--json']);
      expect(occurred.status).toBe(0);
      const steps = occurred.json<{ steps: StepCheck[] }>().steps;
      expect(steps.at(-1)).toMatchObject({ sequence: merge.sequence, type: 'change.merged', time: merge.time });
      expect(steps.every((s) => s.time! <= merge.time)).toBe(true);
      const bySequence = await asAuditor(['replay', demo.showcase, '--as-of', String(merge.sequence), '--json']);
      expect(bySequence.json<{ steps: StepCheck[] }>().steps).toEqual(steps);
      const text = await asAuditor(['replay', demo.showcase, '--as-of', `occurred:${merge.time}`]);
      expect(text.stdout).toContain(`(as of occurred:${merge.time}: every entry whose producer's time is at or before it`);
      expect(text.stdout).toMatch(/^status: merged /m);
    });

    it('fails (exit 1) when the service shows a step with a clock its entry does not carry', async () => {
      // A service in the middle that moves one step's producer time; the entry bytes and proofs are untouched.
      const liar = createServer((req, res) => {
        void (async () => {
          const upstream = await fetch(`${demo.url}${req.url}`, { headers: { authorization: String(req.headers.authorization) } });
          const body = (await upstream.json()) as { steps?: { time?: string }[] };
          if (body.steps && body.steps.length > 2) body.steps[2].time = '2026-01-01T00:00:00Z';
          res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        })();
      });
      await new Promise<void>((done) => liar.listen(0, '127.0.0.1', done));
      try {
        const url = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`;
        const run = await cli(['replay', demo.showcase, '--url', url, '--api-key', demo.auditorKey, '--public-key', demo.publicKeyFile]);
        expect(run.status).toBe(1);
        expect(run.stdout).not.toMatch(/^OK/m);
        expect(run.stdout).toMatch(/^ {2}sequence \d+: the step does not say what its entry says \(clocks, type, summary or status\)$/m);
      } finally {
        await new Promise((done) => liar.close(done));
      }
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
      expect(bad.stderr).toMatch(
        /asOf must be a sequence number, or a time on a named clock: recorded:<RFC 3339>.* or occurred:<RFC 3339>/,
      );
      expect((await asAuditor(['replay', demo.showcase, '--as-of', 'proven:2026-10-01T00:00:00Z'])).status).toBe(2);
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
      expect(manifest).toMatchObject({ format: 'evidence-ledger/change-bundle/v2', changeId: expect.any(String) });
      // It holds the change's events: its owner's only.
      expect(statSync(bundle).mode & 0o777).toBe(0o700);
      for (const name of readdirSync(bundle)) expect([name, statSync(join(bundle, name)).mode & 0o777]).toEqual([name, 0o600]);
      expect(JSON.parse(readFileSync(join(bundle, 'exceptions.json'), 'utf8')).map((x: { rule: string }) => x.rule)).toEqual([
        'merged-after-policy-deny',
      ]);
    });

    it('verifies the bundle with evidence-ledger-verify, the offline package, exactly as verify does', async () => {
      const bin = join(REPO_ROOT, 'libs', 'verify', 'dist', 'bin', 'evidence-ledger-verify.js');
      const ours = spawnSync(process.execPath, [bin, 'bundle', bundle, '--public-key', demo.publicKeyFile, '--json'], { encoding: 'utf8' });
      expect(ours.stderr).toBe('');
      expect(ours.status).toBe(0);
      expect(ours.stdout).toBe((await verify(bundle)).stdout);
    });

    it('checks a bundle against a trusted checkpoint, and names both keys first for another key', async () => {
      // The bundle's own checkpoint, as a note and as JSON holding it (a receipt's form).
      const note = readFileSync(join(bundle, 'checkpoint'), 'utf8');
      const own = join(dir, 'bundle.checkpoint');
      const asJson = join(dir, 'bundle-checkpoint.json');
      writeFileSync(own, note);
      writeFileSync(asJson, JSON.stringify({ checkpoint: note }));
      const trusted = await cli([
        'verify',
        bundle,
        '--public-key',
        demo.publicKeyFile,
        '--trusted-checkpoint',
        own,
        '--trusted-checkpoint',
        asJson,
        '--json',
      ]);
      expect(trusted.json()).toMatchObject({ ok: true, failures: [] });
      expect(trusted.status).toBe(0);
      // An earlier checkpoint of the same log: a bundle holds no leaves to prove it extends it, and says so.
      const tenant = note.split('\n')[0].split('/').at(-1) as string;
      const store = await handle.open();
      let earlier = '';
      try {
        for await (const c of store.readCheckpoints(tenant)) {
          earlier = c.note;
          break;
        }
      } finally {
        await store.close();
      }
      writeFileSync(join(dir, 'earlier.checkpoint'), earlier);
      const undecided = await cli([
        'verify',
        bundle,
        '--public-key',
        demo.publicKeyFile,
        '--trusted-checkpoint',
        join(dir, 'earlier.checkpoint'),
      ]);
      expect(undecided.status).toBe(1);
      expect(undecided.stdout).toMatch(
        /--trusted-checkpoint: the bundle \(tree size \d+\) carries nothing that proves it extends the trusted checkpoint/,
      );
      const wrong = await cli(['verify', bundle, '--public-key', otherKey]);
      expect(wrong.status).toBe(1);
      expect(wrong.stdout.split('\n')[0]).toMatch(
        /^FAILED: signed by key ledger\.test\+[0-9a-f]{8}, not by the key given \(ledger\.test\+[0-9a-f]{8}\)$/,
      );
    });

    it('carries both clocks: on every entry line, in the state, in the timeline verify prints', async () => {
      const lines = readFileSync(join(bundle, 'entries.jsonl'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      for (const line of lines) {
        const entry = JSON.parse(Buffer.from(line.canonical, 'base64').toString('utf8'));
        expect({ recordedAt: line.recordedAt, time: line.time }).toEqual({ recordedAt: entry.recordedAt, time: entry.time });
      }
      const state = JSON.parse(readFileSync(join(bundle, 'state.json'), 'utf8'));
      expect(state.merged).toEqual(expect.objectContaining({ recordedAt: expect.any(String), time: expect.any(String) }));
      const run = await cli(['verify', bundle, '--public-key', demo.publicKeyFile]);
      expect(run.status).toBe(0);
      expect(run.stdout.split('\n').filter((l) => /^✓ #/.test(l))).toHaveLength(lines.length);
      for (const line of lines)
        expect(run.stdout).toMatch(new RegExp(`^✓ #${line.sequence} +occurred ${line.time} +recorded ${line.recordedAt} `, 'm'));
      const json = (await verify(bundle)).json<{ outcome: string; checks: StepCheck[] }>();
      expect(json.outcome).toBe('verified');
      expect(json.checks.map((c) => [c.sequence, c.recordedAt, c.time])).toEqual(lines.map((l) => [l.sequence, l.recordedAt, l.time]));
    });

    it('names an entry line whose clock was changed, even with the manifest forged to match', async () => {
      const path = copy('forged-clock');
      forge(path, 'entries.jsonl', (text) => text.replace(/"time":"\d{4}/, '"time":"1999'));
      const run = await verify(path);
      expect(run.status).toBe(1);
      expect(run.json<{ failures: string[] }>().failures).toContain("entries.jsonl line 1: its clocks differ from the entry's bytes");
    });

    it('never calls a bundle without steps OK', async () => {
      const path = copy('no-steps');
      forge(path, 'entries.jsonl', () => '');
      const manifest = JSON.parse(readFileSync(join(path, 'manifest.json'), 'utf8'));
      writeFileSync(join(path, 'manifest.json'), JSON.stringify({ ...manifest, steps: 0 }));
      const run = await verify(path);
      expect(run.status).toBe(1);
      expect(run.json<{ ok: boolean; failures: string[] }>()).toMatchObject({ ok: false });
      expect(run.json<{ failures: string[] }>().failures).toContain(
        `steps: none: the evidence holds no entry of change ${manifest.changeId}; nothing was verified`,
      );
      const text = await cli(['verify', path, '--public-key', demo.publicKeyFile]);
      expect(text.status).toBe(1);
      expect(text.stdout).not.toMatch(/^OK/m);
    });

    it("still verifies a bundle of format v1, written before bundles carried the producers' times", async () => {
      const path = copy('format-v1');
      const strip = (text: string) =>
        JSON.stringify(JSON.parse(text), (key, value) => (['time', 'firstTime', 'lastTime'].includes(key) ? undefined : value));
      forge(path, 'entries.jsonl', (text) =>
        text
          .trimEnd()
          .split('\n')
          .map((l) => {
            const { recordedAt: _r, time: _t, ...line } = JSON.parse(l);
            return `${JSON.stringify(line)}\n`;
          })
          .join(''),
      );
      forge(path, 'state.json', (text) => `${strip(text)}\n`);
      const manifest = JSON.parse(readFileSync(join(path, 'manifest.json'), 'utf8'));
      writeFileSync(join(path, 'manifest.json'), JSON.stringify({ ...manifest, format: 'evidence-ledger/change-bundle/v1' }));
      const run = await verify(path);
      expect(run.json()).toMatchObject({ ok: true, outcome: 'verified', format: 'evidence-ledger/change-bundle/v1', failures: [] });
      expect(run.status).toBe(0);
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

    it('zips the same bundle to the same bytes whatever the machine time zone', () => {
      // Entry times in a zip are local DOS times: a writer that derives them from a Date gives
      // different bytes in another time zone. The built CLI's zip writer, run in three zones.
      const files = Object.fromEntries(readdirSync(bundle).map((name) => [name, readFileSync(join(bundle, name), 'utf8')]));
      const zipIn = (tz: string): Buffer => {
        const run = spawnSync(
          process.execPath,
          [
            '-e',
            "const { zipBundle } = require(process.argv[1]); process.stdout.write(Buffer.from(zipBundle(JSON.parse(require('fs').readFileSync(0, 'utf8')))).toString('base64'))",
            join(REPO_ROOT, 'apps', 'cli', 'dist', 'change-bundle', 'bundle-zip.js'),
          ],
          { input: JSON.stringify(files), env: { ...process.env, TZ: tz }, encoding: 'utf8' },
        );
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        return Buffer.from(run.stdout, 'base64');
      };
      const utc = zipIn('UTC');
      expect(Object.keys(unzipSync(utc)).sort()).toEqual(Object.keys(files).sort());
      expect(sha(zipIn('UTC'))).toBe(sha(utc));
      expect(sha(zipIn('America/New_York'))).toBe(sha(utc));
      expect(sha(zipIn('Asia/Tokyo'))).toBe(sha(utc));
    });

    it('refuses an entry its manifest does not list by its header alone, never unpacking it', async () => {
      const zip = join(dir, 'change.zip');
      if (!existsSync(zip)) expect((await asAuditor(['replay', demo.showcase, '--export', zip])).status).toBe(0);
      const bomb = deflatedZeros(200 * 1024 * 1024);
      const padded = join(dir, 'padded.zip');
      writeFileSync(padded, withRawEntry(readFileSync(zip), 'extra.bin', bomb.compressed, bomb.size));
      const run = await verify(padded);
      expect(run.status).toBe(1);
      expect(run.json<{ failures: string[] }>().failures).toEqual([
        `extra.bin: not listed in the manifest; refused without unpacking it (it declares ${bomb.size} bytes)`,
      ]);
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

  describe('forensics rebuild', () => {
    it('recreates forensics tables from the log alone with the digest of the ones followed live', async () => {
      await ledger!.close();
      ledger = undefined;
      const before = await cli(['forensics', 'status', '--store', handle.location, '--json']);
      expect(before.status).toBe(0);
      const [live] = before.json<{ tenant: string; position: number; treeSize: number; digest: string }[]>();
      expect(live).toMatchObject({ tenant: 'default', position: logged, treeSize: logged });
      const rebuilt = await cli(['forensics', 'rebuild', '--store', handle.location, '--json']);
      expect(rebuilt.status).toBe(0);
      expect(rebuilt.json<{ digest: string; applied: number }[]>()[0]).toMatchObject({
        digest: live.digest,
        applied: logged,
      });
      const text = await cli(['forensics', 'rebuild', '--store', handle.location, '--tenant', 'default']);
      expect(text.stdout).toContain(`digest ${live.digest}`);
      expect((await cli(['forensics', 'status', '--store', handle.location, '--tenant', 'nobody'])).status).toBe(2);
    });

    it('still answers to its earlier name, projections, identically and out of the help', async () => {
      const status = await cli(['forensics', 'status', '--store', handle.location, '--json']);
      const old = await cli(['projections', 'status', '--store', handle.location, '--json']);
      expect(old.status).toBe(0);
      expect(old.stdout).toBe(status.stdout);
      const rebuilt = await cli(['projections', 'rebuild', '--store', handle.location, '--tenant', 'default', '--json']);
      expect(rebuilt.json<{ digest: string }[]>()[0].digest).toBe(status.json<{ digest: string }[]>()[0].digest);
      expect((await cli(['projections', 'status', '--store', handle.location, '--tenant', 'nobody'])).status).toBe(2);
      const help = (await cli(['--help'])).stdout;
      expect(help).toMatch(/^ {2}forensics\b/m);
      expect(help).not.toContain('projections');
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
      // Both clocks said plainly, and points and a pack period that hold the story.
      expect(run.stdout).toMatch(/^ {2}occurred {2}\S+Z … \S+Z {3}the producers' `time`/m);
      expect(run.stdout).toMatch(/^ {2}recorded {2}\S+Z … \S+Z {3}the ledger's `recordedAt`: .* the clock the log proves/m);
      expect(run.stdout).toMatch(/--as-of occurred:\d{4}-\S+Z /);
      expect(run.stdout).toMatch(/pack create --framework soc2 --from \S+Z --to \S+Z --out demo-soc2\.zip/);
      for (const rule of ['merged-without-independent-approval', 'deployed-without-approval', 'agent-outside-scope'])
        expect(run.stdout).toContain(rule);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
