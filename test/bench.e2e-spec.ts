import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..');
const RUNNER = join(REPO_ROOT, 'bench', 'dist', 'run.js');

function runBench(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [RUNNER, ...args], { cwd: REPO_ROOT });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', fail);
    child.on('close', (status) =>
      done({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

// A smoke run of the benchmark suite: it runs, prints its table and writes its record. No
// timing is asserted — numbers belong in docs/benchmarks.md, not in a test.
describe('npm run bench --quick', () => {
  let dir: string;

  beforeAll(() => {
    // `npm test` builds first; a lone `npx jest test/bench…` on a fresh checkout builds here.
    if (!existsSync(RUNNER)) execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'ledger-bench-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies a freshly built log and prints a result row for it', async () => {
    const results = join(dir, 'latest.json');
    const run = await runBench(['--quick', '--only', 'verify', '--results', results]);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\| verify 100k entries from SQLite +\| +[\d.]+k? \| ev\/s /m);
    const record = JSON.parse(readFileSync(results, 'utf8')) as { quick: boolean; rows: { id: string; value: number }[] };
    expect(record.quick).toBe(true);
    expect(record.rows.find((r) => r.id === 'verify.sqlite')?.value).toBeGreaterThan(0);
  }, 180_000);

  it('refuses a benchmark name it does not know', async () => {
    const run = await runBench(['--only', 'nonesuch']);

    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown benchmark nonesuch/);
  });
});

// The HTTP benchmarks start the service with the flags it runs with in production; a flag
// changed in one place and not the others would measure a service nobody runs.
describe('the service benchmarked is the service shipped', () => {
  it('npm start, the container image and the HTTP benchmarks pass the same node flags', async () => {
    const { SERVICE_NODE_FLAGS } = (await import('../bench/src/http-service')) as { SERVICE_NODE_FLAGS: string[] };
    const start = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'))?.[1];
    expect(start).toContain(`node ${SERVICE_NODE_FLAGS.join(' ')} apps/ledger/dist/main.js`);
    expect(JSON.parse(cmd ?? '[]')).toEqual(['node', ...SERVICE_NODE_FLAGS, 'apps/ledger/dist/main.js']);
  });
});
