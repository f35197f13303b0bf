import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { demoScenario } from '@evidence-ledger/samples';
import { sqliteHandle, StoreHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { flipByte, replaceText, tamper } from '../libs/evidence/src/testing/pack-fixtures';
import { deflatedZeros, withRawEntry } from '../libs/evidence/src/testing/zip-bomb';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { cli, ensureCliBuilt, REPO_ROOT } from './fixtures/cli-process';
import { call } from './support/http-client';
import { postScenario } from './support/post-scenario';
import { newSite, RunningLedger, startLedger } from './support/ledger-server';

const scenario = demoScenario();

describe('evidence-ledger pack create / verify <pack.zip>', () => {
  let handle: StoreHandle;
  let ledger: RunningLedger;
  let dir: string;
  let env: Record<string, string>;
  let pub: string;
  const previousArchive = process.env.LEDGER_ARCHIVE;
  // A period must be over before it is sealed: each pack's period ends when it is ordered.
  const since = new Date(Date.now() - 3_600_000).toISOString();
  const period = () => ['--from', since, '--to', new Date().toISOString()];

  beforeAll(async () => {
    await ensureCliBuilt();
    dir = mkdtempSync(join(tmpdir(), 'cli-pack-'));
    process.env.LEDGER_ARCHIVE = join(dir, 'archive');
    handle = sqliteHandle();
    ledger = await startLedger(newSite(handle.location));
    const key = async (name: string, role: string) =>
      (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name, role } })).body.key;
    const producer = await key('gateway', 'producer');
    env = { LEDGER_URL: ledger.url, LEDGER_API_KEY: await key('auditor', 'auditor') };
    for (const status of await postScenario(ledger.url, { producer, admin: ledger.adminKey }, scenario.events)) expect(status).toBe(201);
    pub = join(dir, 'ledger.pub');
    writeFileSync(pub, ledger.runtime.signer.publicKeyPem());
  });
  afterAll(async () => {
    await ledger?.close();
    await handle.cleanup();
    rmSync(dir, { recursive: true, force: true });
    if (previousArchive === undefined) delete process.env.LEDGER_ARCHIVE;
    else process.env.LEDGER_ARCHIVE = previousArchive;
  });

  it('creates and downloads a pack that verifies offline with exit 0, and a later one consistent with it', async () => {
    const first = join(dir, 'iso-1.zip');
    const run = await cli(['pack', 'create', '--framework', 'iso27001', ...period(), '--out', first], env);
    expect(run.stderr).toMatch(/^pack [0-9a-f-]{36} (queued|building)\n$/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\tiso27001\tready\t\d+ satisfied, \d+ not satisfied, \d+ not tested, \d+ not applicable\t/);
    const verify = await cli(['verify', first, '--public-key', pub]);
    expect(verify.stdout).toMatch(/^VERIFIED {2}evidence pack /);
    expect(verify.stdout).toContain('controls.json: all 19 controls re-evaluated from the events; identical');
    expect(verify.stdout).toMatch(/NOT SATISFIED {2}A\.5\.3 /);
    // The service archives to a directory: the pack claims no retention, so A.5.33 is not tested.
    expect(verify.stdout).toMatch(
      /NOT TESTED {5}A\.5\.33 .*\n {17}1 of 2 tests passed; retention-met: the pack is not locked: the archive is a directory/,
    );
    expect(verify.stdout).toMatch(/\d+ controls: \d+ satisfied, \d+ not satisfied, [1-9]\d* not tested, \d+ not applicable\n/);
    expect(verify.status).toBe(0);

    const second = join(dir, 'iso-2.zip');
    expect((await cli(['pack', 'create', '--framework', 'iso27001', ...period(), '--out', second, '--json'], env)).status).toBe(0);
    const chained = await cli(['verify', second, '--public-key', pub, '--previous', first, '--json']);
    expect(chained.json()).toMatchObject({ ok: true, failures: [] });
    expect(chained.status).toBe(0);
  });

  it('exits 1 naming the file and the entry when a pack was altered', async () => {
    const pack = join(dir, 'hipaa.zip');
    expect((await cli(['pack', 'create', '--framework', 'hipaa', ...period(), '--out', pack], env)).status).toBe(0);
    const zip = readFileSync(pack);
    const pdf = join(dir, 'pdf-flipped.zip');
    writeFileSync(pdf, tamper(zip, 'report.pdf', flipByte(1000)));
    const a = await cli(['verify', pdf, '--public-key', pub]);
    expect(a.status).toBe(1);
    expect(a.stdout).toContain('FAIL  report.pdf: its SHA-256 differs from the one manifest.json lists');

    const event = join(dir, 'event-edited.zip');
    writeFileSync(event, tamper(zip, 'events.jsonl', replaceText('"decision":"approve"', '"decision":"reject"')));
    const b = await cli(['verify', event, '--public-key', pub]);
    expect(b.status).toBe(1);
    expect(b.stdout).toMatch(
      /FAIL {2}events\.jsonl line \d+ \(sequence \d+\): the entry bytes do not hash to line \d+ of proofs\/leaf-hashes\.txt/,
    );

    // A sampled item's result flipped in controls.json: the re-drawn sample names the control.
    const report = JSON.parse(Buffer.from(unzipSync(zip)['controls.json']).toString('utf8')) as {
      controls: { id: string; sample: { items: { sequence: number; result: string }[] } }[];
    };
    const sampled = report.controls.find((c) => c.sample.items.length > 0);
    if (!sampled) throw new Error('no control has a sample');
    const item = sampled.sample.items[0];
    const flipped = item.result === 'pass' ? 'exception' : 'pass';
    const sample = join(dir, 'sample-edited.zip');
    writeFileSync(
      sample,
      tamper(zip, 'controls.json', () =>
        Buffer.from(
          JSON.stringify({
            ...report,
            controls: report.controls.map((c) =>
              c === sampled ? { ...c, sample: { ...c.sample, items: [{ ...item, result: flipped }, ...c.sample.items.slice(1)] } } : c,
            ),
          }),
        ),
      ),
    );
    const c = await cli(['verify', sample, '--public-key', pub]);
    expect(c.status).toBe(1);
    expect(c.stdout).toContain(
      `FAIL  controls.json: control ${sampled.id}: its sample differs from the sample re-drawn from the checkpoint root: item 1 (sequence ${item.sequence}) has result "${flipped}"; re-drawn: "${item.result}"`,
    );

    // A cell of a population CSV: the file, row and column.
    const csvName = Object.keys(unzipSync(zip)).find((n) => n.startsWith('populations/'));
    if (!csvName) throw new Error('no population CSV');
    const csv = join(dir, 'csv-edited.zip');
    writeFileSync(
      csv,
      tamper(zip, csvName, (b) =>
        Buffer.from(
          Buffer.from(b)
            .toString('utf8')
            .replace(/,(pass|exception),/, (_, r: string) => `,${r === 'pass' ? 'exception' : 'pass'},`),
        ),
      ),
    );
    const d = await cli(['verify', csv, '--public-key', pub]);
    expect(d.status).toBe(1);
    expect(d.stdout).toMatch(
      new RegExp(
        `FAIL {2}${csvName.replace(/[.()]/g, '\\$&')}: row 2 \\(sequence \\d+\\), column \\d+ \\(result\\): "(pass|exception)" differs from the re-evaluation`,
      ),
    );
  });

  it('refuses a bad request with exit 2 and the field at fault, said once', async () => {
    const once = (text: string, part: string) => text.split(part).length - 1;
    const run = await cli(['pack', 'create', '--framework', 'pci-dss', ...period()], env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('framework: unknown framework "pci-dss"');
    expect(once(run.stderr, 'unknown framework')).toBe(1);
    expect(run.stderr).toMatch(/\[INVALID_PACK_REQUEST\]\n$/);
    const from = await cli(['pack', 'create', '--framework', 'soc2', '--from', 'yesterday', '--to', new Date().toISOString()], env);
    expect(from.status).toBe(2);
    expect(once(from.stderr, 'must be an RFC 3339 date-time')).toBe(1);
    const to = await cli(['pack', 'create', '--framework', 'soc2', '--from', new Date().toISOString(), '--to', since], env);
    expect(to.status).toBe(2);
    expect(to.stderr).toBe('evidence-ledger: to: must be after from [INVALID_PACK_REQUEST]\n');
    const future = await cli(['pack', 'create', '--framework', 'soc2', '--from', since, '--to', '2999-01-01T00:00:00Z'], env);
    expect(future.status).toBe(2);
    expect(future.stderr).toMatch(
      /^evidence-ledger: to: is in the future \(server time [^)]+\); a period must be over before its evidence is sealed \[INVALID_PACK_REQUEST\]\n$/,
    );
  });

  it('lists the packs, shows one, and downloads it again — never over an existing file without --force', async () => {
    const built = await cli(['pack', 'create', '--framework', 'soc2', ...period(), '--wait', '--json'], env);
    expect(built.status).toBe(0);
    const pack = built.json<{ id: string; sha256: string }>();
    const list = await cli(['pack', 'list'], env);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(`^${pack.id}\tsoc2\tready\t\\d+ satisfied, \\d+ not satisfied, \\d+ not tested, \\d+ not applicable\t`, 'm'),
    );
    const listed = (await cli(['pack', 'list', '--framework', 'soc2', '--status', 'ready', '--json'], env)).json<{
      packs: { id: string }[];
    }>();
    expect(listed.packs.map((p) => p.id)).toContain(pack.id);
    expect((await cli(['pack', 'list', '--framework', 'no-such-framework', '--json'], env)).json()).toEqual({ packs: [] });
    const status = await cli(['pack', 'status', pack.id], env);
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^${pack.id}\tsoc2\tready\t`));

    const file = join(dir, 'soc2-again.zip');
    const fetched = await cli(['pack', 'download', pack.id, '--out', file], env);
    expect(fetched.status).toBe(0);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(pack.sha256);
    expect((await cli(['verify', file, '--public-key', pub])).status).toBe(0);

    writeFileSync(file, 'an older pack');
    const again = await cli(['pack', 'download', pack.id, '--out', file], env);
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(`evidence-ledger: ${file} already exists; pass --force to replace it\n`);
    expect(readFileSync(file, 'utf8')).toBe('an older pack');
    const before = (await cli(['pack', 'list', '--json'], env)).json<{ packs: unknown[] }>().packs.length;
    const create = await cli(['pack', 'create', '--framework', 'soc2', ...period(), '--out', file], env);
    expect(create.status).toBe(2);
    expect(create.stderr).toBe(`evidence-ledger: ${file} already exists; pass --force to replace it\n`);
    expect((await cli(['pack', 'list', '--json'], env)).json<{ packs: unknown[] }>().packs).toHaveLength(before);
    expect((await cli(['pack', 'download', pack.id, '--out', file, '--force'], env)).status).toBe(0);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(pack.sha256);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('says why a pack cannot be shown or downloaded, with exit 2', async () => {
    const unknown = await cli(['pack', 'status', '0190b6a0-0000-7000-8000-00000000abcd'], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('evidence-ledger: no evidence pack 0190b6a0-0000-7000-8000-00000000abcd [NOT_FOUND]\n');
    const bad = await cli(['pack', 'download', 'latest', '--out', join(dir, 'x.zip')], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('a pack id is a UUID');
    const missing = await cli(['pack', 'download', '0190b6a0-0000-7000-8000-00000000abcd', '--out', join(dir, 'x.zip')], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('[NOT_FOUND]');
    expect(existsSync(join(dir, 'x.zip'))).toBe(false);
  });

  it('names the signing key first for another key, checks trusted checkpoints, and refuses an unlisted 1.9 GB entry unread', async () => {
    const pack = join(dir, 'soc2.zip');
    expect((await cli(['pack', 'create', '--framework', 'soc2', ...period(), '--out', pack], env)).status).toBe(0);
    const stranger = join(dir, 'stranger.pub');
    writeFileSync(stranger, LocalKeySigner.generate('evidence-ledger.local').publicKeyPem());
    const wrong = await cli(['verify', pack, '--public-key', stranger]);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout.split('\n')[0]).toMatch(/^FAILED: signed by key [0-9a-f]{64}, not by the key given \([0-9a-f]{64}\)$/);

    // The pack's own checkpoint passes; one seen later than the pack fails it.
    const own = join(dir, 'own.checkpoint');
    writeFileSync(own, Buffer.from(unzipSync(readFileSync(pack)).checkpoint));
    expect((await cli(['verify', pack, '--public-key', pub, '--trusted-checkpoint', own])).status).toBe(0);
    const producer = (await call(`${ledger.url}/v1/api-keys`, { key: ledger.adminKey, json: { name: 'late', role: 'producer' } })).body.key;
    await postScenario(
      ledger.url,
      { producer, admin: ledger.adminKey },
      scenario.events.slice(0, 3).map((e) => ({ ...e, id: crypto.randomUUID() })),
    );
    const later = join(dir, 'later.checkpoint');
    writeFileSync(later, (await call(`${ledger.url}/v1/checkpoint`, { key: env.LEDGER_API_KEY })).text);
    const rolled = await cli(['verify', pack, '--public-key', pub, '--trusted-checkpoint', later]);
    expect(rolled.status).toBe(1);
    expect(rolled.stdout).toMatch(
      /FAIL {2}--trusted-checkpoint: the pack ends at tree size \d+, before the trusted checkpoint \S+later\.checkpoint/,
    );

    // 2 MB more on disk, 1.9 GB once inflated, listed nowhere: refused by its header, and the
    // verifier's peak memory stays far below what inflating it would take.
    const bomb = deflatedZeros(1.9e9);
    const bombed = join(dir, 'bombed.zip');
    writeFileSync(bombed, withRawEntry(readFileSync(pack), 'padding.bin', bomb.compressed, bomb.size));
    const main = JSON.stringify(join(REPO_ROOT, 'apps', 'cli', 'dist', 'main.js'));
    const script = `require(${main}).runCli(['verify', ${JSON.stringify(bombed)}, '--public-key', ${JSON.stringify(pub)}]).then((code) => { process.stderr.write('maxRSS ' + process.resourceUsage().maxRSS * 1024); process.exitCode = code; })`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      `FAIL  padding.bin: not listed in manifest.json; refused without unpacking it (it declares ${bomb.size} bytes)`,
    );
    expect(Number(/maxRSS (\d+)/.exec(run.stderr)?.[1])).toBeLessThan(512 * 1024 * 1024);
  });
});
