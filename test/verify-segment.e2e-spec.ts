import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { segmentKey } from '@evidence-ledger/archive';
import { LocalKeySigner } from '@evidence-ledger/signing';
import { sqliteHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { cli, ensureCliBuilt, REPO_ROOT } from './fixtures/cli-process';
import { createLedgerLogs, LedgerLogs } from './fixtures/ledger-logs';

// `evidence-ledger-verify segment` checks one sealed archive segment, copied out of the archive,
// with the public key alone: the same summary and exit codes as its `export` command.
const VERIFY_BIN = join(REPO_ROOT, 'libs', 'verify', 'dist', 'bin', 'evidence-ledger-verify.js');

function verifyBin(...args: string[]) {
  return spawnSync(process.execPath, [VERIFY_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

interface Summary {
  ok: boolean;
  subject: Record<string, string>;
  entries: number;
  checkpoints: number;
  verifiedTreeSize: number;
  failure?: { code: string; line?: number; sequence?: number; message: string };
}

describe('evidence-ledger-verify segment', () => {
  let logs: LedgerLogs;
  // The fixture log (100 entries, checkpoints at 20, 21, 58, 73, 100) sealed as [0, 58) and [58, 100).
  let first: string;
  let second: string;
  const copy = (name: string, text: string) => {
    const path = join(logs.dir, name);
    writeFileSync(path, text);
    return path;
  };
  const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(sqliteHandle(), ['acme']);
    const archive = join(logs.dir, 'archive');
    const seal = (...args: string[]) =>
      cli(['archive', 'seal', '--store', logs.location, '--archive', archive, '--tenant', 'acme', ...args]);
    expect((await seal('--to', '58')).status).toBe(0);
    expect((await seal()).status).toBe(0);
    const segment = (from: number, to: number) => readFileSync(join(archive, ...segmentKey('acme', from, to).split('/')), 'utf8');
    first = copy('first.jsonl', segment(0, 58));
    second = copy('second.jsonl', segment(58, 100));
  }, 300_000);
  afterAll(() => logs?.cleanup());

  it('verifies the first segment of a log: exit 0', () => {
    const run = verifyBin('segment', first, '--public-key', logs.publicKey);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('segment            entries 0..57');
    expect(run.stdout).toContain('OK: every entry, chain link, Merkle node and signed checkpoint verified');
    expect(run.status).toBe(0);
  });

  it('verifies a later segment on its own, from its signed opening checkpoint: exit 0', () => {
    const run = verifyBin('segment', second, '--public-key', logs.publicKey, '--json');
    expect(run.stderr).toBe('');
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary).toMatchObject({ ok: true, entries: 42, checkpoints: 3, verifiedTreeSize: 100 });
    expect(summary.subject).toMatchObject({ tenant: 'acme', segment: 'entries 58..99' });
    expect(summary.subject.start).toContain('signed checkpoint at tree size 58 (line 2)');
    expect(run.status).toBe(0);
  });

  it('fails a segment with one byte of an entry flipped, naming the line: exit 1', () => {
    const text = readFileSync(second, 'utf8');
    const at = text.indexOf('"canonical":"', text.indexOf('"sequence":61')) + 40;
    const tampered = copy('flipped.jsonl', `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`);
    const run = verifyBin('segment', tampered, '--public-key', logs.publicKey);
    expect(run.stdout).toMatch(/^FAILED at line 6 \(sequence 61\): /m);
    expect(run.status).toBe(1);
  });

  it('fails a segment signed by another key, saying so first: exit 1', () => {
    const stranger = copy('stranger.pub', LocalKeySigner.generate('ledger.test').publicKeyPem());
    const run = verifyBin('segment', second, '--public-key', stranger);
    expect(run.stdout.split('\n')[0]).toMatch(/^FAILED: .*key/);
    expect(run.status).toBe(1);
  });

  it('fails a truncated segment, cut inside a line or at a line boundary: exit 1', () => {
    const text = readFileSync(first, 'utf8');
    const cut = verifyBin('segment', copy('cut.jsonl', text.slice(0, text.length - 50)), '--public-key', logs.publicKey);
    expect(cut.stdout).toMatch(/^FAILED at line \d+: line \d+ is cut short \(no newline at the end\): the segment is truncated$/m);
    expect(cut.status).toBe(1);
    const shortened = copy('short.jsonl', `${lines(first).slice(0, -2).join('\n')}\n`);
    const short = verifyBin('segment', shortened, '--public-key', logs.publicKey, '--json');
    expect(JSON.parse(short.stdout)).toMatchObject({ ok: false, failure: { code: 'SEGMENT_TRUNCATED' } });
    expect(short.status).toBe(1);
  });

  it('fails a segment whose opening checkpoint was removed: exit 1', () => {
    const edited = lines(second);
    const run = verifyBin(
      'segment',
      copy('no-opening.jsonl', `${[edited[0], ...edited.slice(2)].join('\n')}\n`),
      '--public-key',
      logs.publicKey,
    );
    expect(run.stdout).toMatch(/^FAILED at line 2: line 2 must be the signed checkpoint at tree size 58/m);
    expect(run.status).toBe(1);
  });

  it('refuses an empty or missing file as an input error: exit 2', () => {
    const empty = verifyBin('segment', copy('empty.jsonl', ''), '--public-key', logs.publicKey);
    expect(empty.stderr).toMatch(/^evidence-ledger-verify: .*empty\.jsonl is empty, not a log segment\n$/);
    expect(empty.status).toBe(2);
    const missing = verifyBin('segment', join(logs.dir, 'missing.jsonl'), '--public-key', logs.publicKey);
    expect(missing.stderr).toMatch(/^evidence-ledger-verify: cannot read .*missing\.jsonl: no such file or directory\n$/);
    expect(missing.status).toBe(2);
  });
});
