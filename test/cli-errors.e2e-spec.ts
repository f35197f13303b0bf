import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteHandle } from '../libs/ledger/src/testing/ledger-fixture';
import { cli, CliRun, ensureCliBuilt } from './fixtures/cli-process';
import { createLedgerLogs, LedgerLogs } from './fixtures/ledger-logs';

// A user error: exit 2 and exactly one `evidence-ledger: …` line on stderr, no stack trace.
function expectUsageError(run: CliRun, message: RegExp): void {
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^evidence-ledger: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
}

describe('evidence-ledger on bad input', () => {
  let logs: LedgerLogs;
  const file = (name: string, text: string) => {
    const path = join(logs.dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    await ensureCliBuilt();
    logs = await createLedgerLogs(sqliteHandle(), ['acme']);
  }, 300_000);
  afterAll(() => logs?.cleanup());

  const verifyLog = (...args: string[]) => cli(['verify-log', '--store', logs.location, '--tenant', 'acme', ...args]);

  it('requires --public-key', async () => {
    expectUsageError(await verifyLog(), /required option '--public-key <file>' not specified/);
  });

  it('says when the key file cannot be read', async () => {
    expectUsageError(
      await verifyLog('--public-key', join(logs.dir, 'missing.pub')),
      /cannot read public key file .*missing\.pub: no such file or directory/,
    );
  });

  it('says which line of the key file is garbage', async () => {
    expectUsageError(
      await verifyLog('--public-key', file('garbage.pub', 'hello, I am not a key\n')),
      /garbage\.pub:1: malformed verifier key/,
    );
  });

  it('refuses a private key given as the public key', async () => {
    expectUsageError(await verifyLog('--public-key', logs.keyFile), /this is a private key/);
  });

  it('refuses an unknown store scheme', async () => {
    const run = await cli(['verify-log', '--store', 'mysql://db/ledger', '--tenant', 'acme', '--public-key', logs.publicKey]);
    expectUsageError(run, /unknown store "mysql:\/\/db\/ledger": use sqlite:<path>, postgres:\/\/… or kurrentdb:\/\/…/);
  });

  it('refuses a SQLite file that does not exist instead of creating it', async () => {
    const run = await cli([
      'verify-log',
      '--store',
      `sqlite:${join(logs.dir, 'nope.db')}`,
      '--tenant',
      'acme',
      '--public-key',
      logs.publicKey,
    ]);
    expectUsageError(run, /no SQLite ledger at .*nope\.db/);
  });

  it('says when PostgreSQL cannot be reached', async () => {
    const run = await cli([
      'verify-log',
      '--store',
      'postgres://postgres@127.0.0.1:1/test',
      '--tenant',
      'acme',
      '--public-key',
      logs.publicKey,
    ]);
    expectUsageError(run, /PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/test: connecting failed: .*ECONNREFUSED/);
  });

  it('says when the store is not given at all', async () => {
    expectUsageError(
      await cli(['verify-log', '--tenant', 'acme', '--public-key', logs.publicKey]),
      /required option '--store <location>' not specified/,
    );
  });

  it('names the tenants a store holds when the one asked for is unknown', async () => {
    const run = await cli(['verify-log', '--store', logs.location, '--tenant', 'acne', '--public-key', logs.publicKey]);
    expectUsageError(run, /tenant "acne" has no log in sqlite:.* \(tenants in this store: acme\)/);
  });

  it('says when the export file does not exist', async () => {
    expectUsageError(
      await cli(['verify-export', join(logs.dir, 'none.jsonl'), '--public-key', logs.publicKey]),
      /cannot read .*none\.jsonl: no such file or directory/,
    );
  });

  it('says when a file is not a JSON-lines export', async () => {
    expectUsageError(
      await cli(['verify-export', file('notes.txt', 'dear auditor,\nall is well\n'), '--public-key', logs.publicKey]),
      /notes\.txt is not a JSON-lines log export/,
    );
    expectUsageError(
      await cli(['verify-export', file('other.jsonl', '{"format":"something/else"}\n'), '--public-key', logs.publicKey]),
      /is not a log export: line 1 is not a "evidence-ledger\/log-export\/v1" header/,
    );
    expectUsageError(await cli(['verify-export', file('empty.jsonl', ''), '--public-key', logs.publicKey]), /empty\.jsonl is empty/);
  });

  it('rejects an unknown command and an unknown option', async () => {
    expectUsageError(await cli(['verfy-log']), /unknown command 'verfy-log'/);
    expectUsageError(await verifyLog('--public-key', logs.publicKey, '--colour'), /unknown option '--colour'/);
  });

  it('shows help that lists every command and the exit codes (exit 0)', async () => {
    const run = await cli(['--help']);
    expect(run.status).toBe(0);
    for (const command of ['verify-log', 'export', 'verify-export', 'signing-key']) expect(run.stdout).toContain(command);
    expect(run.stdout).toMatch(/Exit codes:\n\s+0 .*\n\s+1 .*\n\s+2 /);
  });
});
