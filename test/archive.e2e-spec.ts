import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { segmentKey } from '@evidence-ledger/archive';
import { sqliteHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { describeWithS3, S3_TEST_CREDENTIALS, testBucket } from '../libs/archive/src/testing/s3-test-server';
import { cli, CliRun, ensureCliBuilt } from './fixtures/cli-process';
import { appendBatches, createLedgerLogs, LedgerLogs, ORIGIN_PREFIX } from './fixtures/ledger-logs';
import { flipByte, openTamper } from './fixtures/store-tamper';

interface Failure {
  code: string;
  key?: string;
  line?: number;
  sequence?: number;
  treeSize?: number;
  live?: boolean;
  message: string;
}
interface TenantReport {
  ok: boolean;
  tenant: string;
  entries: number;
  segments: { key: string; from: number; to: number; object: { sha256: string; lockMode: string } }[];
  live?: { treeSize: number; entriesAfterArchive: number };
  failure?: Failure;
}
interface Report {
  ok: boolean;
  tenants: TenantReport[];
}

// Each tenant of the fixture log: 100 entries under checkpoints at 20, 21, 58, 73, 100.
const TENANTS = ['acme', 'grows', 'tampered', 'resealed', 'diverged', 'shrunk', 'gap', 'damaged'];

describe('evidence-ledger archive seal and verify (disk archive, SQLite store)', () => {
  let logs: LedgerLogs;
  let archive: string;

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(sqliteHandle(), TENANTS);
    archive = join(logs.dir, 'archive');
  }, 300_000);
  afterAll(() => logs?.cleanup());

  const seal = (...args: string[]): Promise<CliRun> => cli(['archive', 'seal', '--store', logs.location, '--archive', archive, ...args]);
  const verify = (...args: string[]): Promise<CliRun> =>
    cli(['archive', 'verify', '--store', logs.location, '--archive', archive, '--public-key', logs.publicKey, ...args]);
  const verifyJson = async (tenant: string): Promise<{ run: CliRun; report: TenantReport }> => {
    const run = await verify('--tenant', tenant, '--json');
    return { run, report: run.json<Report>().tenants[0] };
  };
  const objectPath = (tenant: string, from: number, to: number) => join(archive, ...segmentKey(tenant, from, to).split('/'));

  // Seals every fixture tenant in two segments, [0, 58) and [58, 100).
  const sealRuns: CliRun[] = [];
  beforeAll(async () => {
    for (const tenant of TENANTS.filter((t) => t !== 'damaged')) {
      sealRuns.push(await seal('--tenant', tenant, '--to', '58'), await seal('--tenant', tenant));
    }
    for (const run of sealRuns) expect(run.status).toBe(0);
  }, 120_000);

  it('seals segments from where the last one ended, each up to a signed checkpoint, written read-only', async () => {
    expect(sealRuns[0].stdout).toContain(`sealed acme: entries 0..57 (58 entries, 3 checkpoints) → ${segmentKey('acme', 0, 58)}`);
    expect(sealRuns[1].stdout).toContain(`sealed acme: entries 58..99 (42 entries, 2 checkpoints) → ${segmentKey('acme', 58, 100)}`);
    expect(sealRuns[1].stdout).toMatch(/retention {2}SOC 2 1 year: until \d{4}-/);
    expect(readdirSync(join(archive, 'segments', 'acme'))).toEqual([
      '0000000000000000-0000000000000058.jsonl',
      '0000000000000058-0000000000000100.jsonl',
    ]);
    expect(statSync(objectPath('acme', 58, 100)).mode & 0o777).toBe(0o400);
    const lines = readFileSync(objectPath('acme', 58, 100), 'utf8')
      .trimEnd()
      .split('\n');
    const header = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(header).toMatchObject({
      format: 'evidence-ledger/log-segment/v1',
      tenant: 'acme',
      origin: `${ORIGIN_PREFIX}/acme`,
      from: 58,
      to: 100,
    });
    expect(JSON.parse(lines[1]).checkpoint.split('\n')[1]).toBe('58');
    expect(JSON.parse(lines[2])).toMatchObject({ sequence: 58 });
    expect(JSON.parse(lines[lines.length - 1]).checkpoint.split('\n')[1]).toBe('100');
    // header, opening checkpoint, 42 entries, checkpoints at 73 and 100
    expect(lines).toHaveLength(1 + 1 + 42 + 2);
  });

  it('says so, and writes nothing, when there is nothing new to seal', async () => {
    const run = await seal('--tenant', 'acme');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('acme: nothing new to seal (sealed up to tree size 100)');
    expect(readdirSync(join(archive, 'segments', 'acme'))).toHaveLength(2);
  });

  it('verifies a clean archive against the live log (exit 0)', async () => {
    const run = await verify('--tenant', 'acme');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`ok  ${segmentKey('acme', 0, 58)}  entries 0..57, 3 checkpoints`);
    expect(run.stdout).toContain(
      'live log at tree size 100 (0 entries after the archive): consistent with every archived segment (2 consistency proof(s) from the live store)',
    );
    expect(run.stdout).toMatch(/OK: 2 segment\(s\), 100 entries/);
  });

  it('verifies a live log that grew after the archive was sealed', async () => {
    const signer = await LocalKeySigner.loadOrCreate(logs.keyFile, ORIGIN_PREFIX);
    await appendBatches(logs.handle, signer, ['grows'], [5, 6]);
    const { run, report } = await verifyJson('grows');
    expect(run.status).toBe(0);
    expect(report).toMatchObject({ ok: true, entries: 100, live: { treeSize: 111, entriesAfterArchive: 11 } });
  });

  it('names the segment, line and entry of a flipped byte in an archived segment (exit 1)', async () => {
    const path = objectPath('tampered', 0, 58);
    const lines = readFileSync(path, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.startsWith('{"sequence":30,'));
    const entry = JSON.parse(lines[line]) as { canonical: string };
    const canonical = Buffer.from(entry.canonical, 'base64');
    lines[line] = JSON.stringify({ ...entry, canonical: flipByte(canonical, canonical.indexOf('anthropic')).toString('base64') });
    chmodSync(path, 0o644);
    writeFileSync(path, lines.join('\n'));
    const { run, report } = await verifyJson('tampered');
    expect(run.status).toBe(1);
    expect(report.failure).toMatchObject({ code: 'LEAF_HASH_MISMATCH', key: segmentKey('tampered', 0, 58), line: line + 1, sequence: 30 });
    const text = await verify('--tenant', 'tampered');
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(`FAILED in ${segmentKey('tampered', 0, 58)} at line ${line + 1} (sequence 30): stored leaf hash`);
  });

  it('reports an archived segment whose bytes changed outside anything signed, by its recorded SHA-256 (exit 1)', async () => {
    const path = objectPath('resealed', 58, 100);
    chmodSync(path, 0o644);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"sealedAt":"2', '"sealedAt":"1'));
    const { run, report } = await verifyJson('resealed');
    expect(run.status).toBe(1);
    expect(report.failure).toMatchObject({ code: 'SEGMENT_DIGEST_MISMATCH', key: segmentKey('resealed', 58, 100) });
    expect(report.failure?.message).toMatch(/differ from those archived/);
  });

  it('names the entry where the live log diverges from the archive (exit 1)', async () => {
    const tamper = await openTamper(logs.handle);
    try {
      const { canonical } = await tamper.readEntry('diverged', 70);
      await tamper.writeEntry('diverged', 70, { canonical: flipByte(canonical, canonical.indexOf('anthropic')) });
    } finally {
      await tamper.close();
    }
    const { run, report } = await verifyJson('diverged');
    expect(run.status).toBe(1);
    expect(report.failure).toMatchObject({ code: 'LIVE_ENTRY_MISMATCH', live: true, sequence: 70, key: segmentKey('diverged', 58, 100) });
    expect((await verify('--tenant', 'diverged')).stdout).toMatch(
      /FAILED in the live log \(against segments\/diverged\/.*\) at sequence 70: the live log holds other bytes/,
    );
  });

  it('reports a live log that lost archived entries (exit 1)', async () => {
    const tamper = await openTamper(logs.handle);
    try {
      await tamper.deleteEntries('shrunk', 90, 100);
    } finally {
      await tamper.close();
    }
    const { run, report } = await verifyJson('shrunk');
    expect(run.status).toBe(1);
    expect(report.failure).toMatchObject({ code: 'LIVE_ENTRY_MISSING', live: true, sequence: 90 });
  });

  it('reports entries that no archived segment covers (exit 1)', async () => {
    rmSync(objectPath('gap', 0, 58), { force: true });
    const { run, report } = await verifyJson('gap');
    expect(run.status).toBe(1);
    expect(report.failure).toMatchObject({ code: 'SEGMENT_MISSING', sequence: 0, key: segmentKey('gap', 58, 100) });
  });

  it('never seals a live log that does not hash to its checkpoints, and stores nothing (exit 1)', async () => {
    const tamper = await openTamper(logs.handle);
    try {
      const { canonical } = await tamper.readEntry('damaged', 12);
      await tamper.writeEntry('damaged', 12, { canonical: flipByte(canonical, canonical.indexOf('anthropic')) });
    } finally {
      await tamper.close();
    }
    const run = await seal('--tenant', 'damaged');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      'FAILED damaged: tenant damaged, entry 12: its leaf hash is not the hash of its bytes; run verify-log; nothing was archived',
    );
    expect(existsSync(join(archive, 'segments', 'damaged'))).toBe(false);
    expect(readdirSync(join(archive, '.spool'))).toEqual([]);
  });

  it('verifies every archived tenant when none is named, failing if any fails', async () => {
    const run = await verify('--json');
    expect(run.status).toBe(1);
    const report = run.json<Report>();
    expect(report.tenants.map((t) => [t.tenant, t.ok])).toEqual([
      ['acme', true],
      ['diverged', false],
      ['gap', false],
      ['grows', true],
      ['resealed', false],
      ['shrunk', false],
      ['tampered', false],
    ]);
  });

  describe('refuses bad input with a clear error (exit 2)', () => {
    const usage = async (run: Promise<CliRun>, message: RegExp) => {
      const r = await run;
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(2);
    };

    it.each([
      ['ftp://archive.example/x', /LEDGER_ARCHIVE "ftp:\/\/archive\.example\/x" cannot be used: unknown scheme "ftp:"/],
      ['s3://Evidence_Bucket/x', /"Evidence_Bucket" is not a valid S3 bucket name/],
      ['s3://bucket/../../etc', /'\.\.' path segment/],
      ['s3://AKIA:secret@bucket/x', /credentials do not belong in the URL/],
      ['s3://bucket:9000/x', /names a bucket, not a host and port/],
    ])('LEDGER_ARCHIVE=%s', async (location, message) => {
      await usage(cli(['archive', 'seal', '--store', logs.location, '--tenant', 'acme'], { LEDGER_ARCHIVE: location }), message);
      await usage(cli(['archive', 'verify', '--store', logs.location, '--archive', location, '--public-key', logs.publicKey]), message);
    });

    it('a tree size without a checkpoint, naming the nearest ones', async () => {
      await usage(
        seal('--tenant', 'grows', '--to', '104'),
        /tenant grows has no checkpoint at tree size 104; the nearest checkpoints are at 100 and 105/,
      );
      await usage(seal('--to', '58'), /--to needs --tenant/);
      await usage(seal('--tenant', 'acme', '--to', '-1'), /--to must be a tree size/);
      await usage(seal('--tenant', 'acme', '--to', '20'), /already sealed up to tree size 100; --to 20 is behind it/);
    });

    it('a retention below a framework floor, or unknown', async () => {
      await usage(seal('--tenant', 'grows', '--retention', 'hipaa=1y'), /HIPAA Security Rule requires at least 6 years \(45 CFR 164\.316/);
      await usage(seal('--tenant', 'grows', '--retention', 'forever'), /"forever" is not a framework/);
    });

    it('an archive or tenant without segments', async () => {
      const empty = mkdtempSync(join(tmpdir(), 'empty-archive-'));
      try {
        await usage(
          cli(['archive', 'verify', '--store', logs.location, '--archive', empty, '--public-key', logs.publicKey]),
          /holds no sealed segments \(seal some with: evidence-ledger archive seal\)/,
        );
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
      await usage(verify('--tenant', 'damaged'), /holds no sealed segment of tenant damaged/);
      await usage(seal('--tenant', 'nobody'), /tenant "nobody" has no log/);
    });
  });
});

describeWithS3('evidence-ledger archive on S3 with Object Lock', (endpoint) => {
  let logs: LedgerLogs;
  const bucket = testBucket('e2e');
  const env = {
    LEDGER_ARCHIVE: `s3://${bucket}/ledger/prod`,
    LEDGER_S3_ENDPOINT: endpoint,
    AWS_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey,
  };

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(sqliteHandle(), ['acme']);
  }, 300_000);
  afterAll(() => logs?.cleanup());

  it('seals into a bucket it creates with Object Lock, in COMPLIANCE mode for the HIPAA period, and verifies it', async () => {
    const sealed = await cli(['archive', 'seal', '--store', logs.location, '--retention', 'hipaa', '--json'], env);
    expect(sealed.stderr).toBe('');
    expect(sealed.status).toBe(0);
    const [acme] = sealed.json<{ tenants: { sealed: { key: string; lockMode: string; retainUntil: string } }[] }>().tenants;
    expect(acme.sealed).toMatchObject({ key: segmentKey('acme', 0, 100), lockMode: 'COMPLIANCE' });
    const years = (Date.parse(acme.sealed.retainUntil) - Date.now()) / (365.25 * 24 * 3600 * 1000);
    expect(years).toBeGreaterThan(5.99);
    const verified = await cli(['archive', 'verify', '--store', logs.location, '--public-key', logs.publicKey], env);
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(
      /ok {2}segments\/acme\/0000000000000000-0000000000000100\.jsonl {2}entries 0\.\.99, 5 checkpoints, sha256 [0-9a-f]{16}…, COMPLIANCE until 20\d\d-/,
    );
  });
});
