import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskArchiveStore, segmentKey, SegmentSealer } from '@evidence-ledger/archive';
import { EvidenceTemplate } from '@evidence-ledger/core';
import { buildEvidencePack, TemplateCatalog } from '@evidence-ledger/evidence';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { demoScenario } from '@evidence-ledger/samples';
import { appendAll, cleanEvents, flipByte, ledgerWithClock, tamper } from '../libs/evidence/src/testing/pack-fixtures';
import { sqliteHandle } from '../libs/ledger/src/testing/ledger-fixture';

// An auditor verifies a pack with `@evidence-ledger/verify` alone: its tarball and core's (where
// the control engine it re-runs lives) installed from `npm pack` into an empty directory, with no
// workspace, server or database driver around it. Needs the built dist/ and the npm
// registry (or npm's cache) for the Sigstore libraries.
const root = join(__dirname, '..');
const PACKAGES = ['libs/core', 'libs/verify'];

function npm(args: string[], cwd: string): string {
  const run = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (run.status !== 0) throw new Error(`npm ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

describe('@evidence-ledger/verify installed alone from npm pack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verify-package-'));
  const app = join(dir, 'auditor');
  const bin = join(app, 'node_modules', '.bin', 'evidence-ledger-verify');
  const verify = (...args: string[]) => spawnSync(bin, args, { cwd: dir, encoding: 'utf8' });

  beforeAll(async () => {
    const signer = LocalKeySigner.generate('ledger.test');
    const handle = sqliteHandle();
    const store = await handle.open();
    const ledger = ledgerWithClock(store, signer);
    try {
      await appendAll(ledger, 'acme', cleanEvents(demoScenario()));
      const template = TemplateCatalog.load().get('soc2') as EvidenceTemplate;
      const request = {
        tenant: 'acme',
        framework: 'soc2',
        from: '2000-01-01T00:00:00.000Z',
        to: '2100-01-01T00:00:00.000Z',
        repositories: [],
      };
      const pack = await buildEvidencePack(ledger, request, { template });
      writeFileSync(join(dir, 'pack.zip'), pack.zip);
      writeFileSync(join(dir, 'tampered.zip'), tamper(pack.zip, 'events.jsonl', flipByte(40)));
      writeFileSync(join(dir, 'ledger.pub'), signer.publicKeyPem());
      // The log sealed into a disk archive, its one segment copied out as an auditor would get it.
      const archive = join(dir, 'archive');
      const sealed = await new SegmentSealer(store, await DiskArchiveStore.open(archive)).seal('acme', {
        retainUntil: new Date(Date.now() + 3600_000),
      });
      const segment = readFileSync(join(archive, segmentKey('acme', 0, sealed?.to ?? 0)));
      writeFileSync(join(dir, 'segment.jsonl'), segment);
      writeFileSync(join(dir, 'tampered-segment.jsonl'), flipByte(segment.length >> 1)(segment));
    } finally {
      await ledger.close();
      await handle.cleanup();
    }
    const tarballs = PACKAGES.map((p) => join(dir, npm(['pack', '--silent', '--pack-destination', dir], join(root, p)).trim()));
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "auditor", "private": true }\n');
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', ...tarballs], app);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs without the server, its database drivers, pdfkit or the web framework', () => {
    expect(existsSync(bin)).toBe(true);
    const installed = readdirSync(join(app, 'node_modules')).flatMap((name) =>
      name.startsWith('@') ? readdirSync(join(app, 'node_modules', name)).map((scoped) => `${name}/${scoped}`) : [name],
    );
    expect(installed).toEqual(expect.arrayContaining(['@evidence-ledger/verify', '@evidence-ledger/core', '@sigstore/verify']));
    const forbidden =
      /^(pg|pg-copy-streams|better-sqlite3|pdfkit|@nestjs\/.*|@kurrent\/.*|@aws-sdk\/.*|@evidence-ledger\/(ledger|store|signing|evidence))$/;
    expect(installed.filter((name) => forbidden.test(name))).toEqual([]);
  });

  it('verifies a genuine pack: exit 0', () => {
    const run = verify('pack', 'pack.zip', '--public-key', 'ledger.pub');
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^VERIFIED {2}evidence pack /);
    expect(run.status).toBe(0);
  });

  it('fails a tampered pack, naming the file: exit 1', () => {
    const run = verify('pack', 'tampered.zip', '--public-key', 'ledger.pub');
    expect(run.stdout).toMatch(/^FAILED/m);
    expect(run.stdout).toContain('events.jsonl');
    expect(run.status).toBe(1);
  });

  it('verifies a genuine archive segment: exit 0', () => {
    const run = verify('segment', 'segment.jsonl', '--public-key', 'ledger.pub');
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^OK: every entry, chain link, Merkle node and signed checkpoint verified$/m);
    expect(run.status).toBe(0);
  });

  it('fails a tampered archive segment, naming the line: exit 1', () => {
    const run = verify('segment', 'tampered-segment.jsonl', '--public-key', 'ledger.pub');
    expect(run.stdout).toMatch(/^FAILED at line \d+/m);
    expect(run.status).toBe(1);
  });

  it('refuses bad usage with exit 2 and one line', () => {
    const run = verify('pack', 'pack.zip');
    expect(run.stderr).toBe('evidence-ledger-verify: pack: --public-key <file> is required (see evidence-ledger-verify --help)\n');
    expect(run.status).toBe(2);
  });
});
