import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServiceProcess } from './support/service-process';

// The service reads its whole configuration once, before it opens anything: a bad value of any
// variable stops it with exit code 2 and a message naming the variable, and no store is created.
describe('the service refuses a bad configuration at start', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'service-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['LEDGER_ARCHIVE', { LEDGER_ARCHIVE: 'ftp://archive.example/x' }, /LEDGER_ARCHIVE "ftp:\/\/archive\.example\/x" cannot be used/],
    [
      'LEDGER_S3_ENDPOINT',
      { LEDGER_ARCHIVE: 's3://bucket', LEDGER_S3_ENDPOINT: 'ftp://127.0.0.1:1' },
      /LEDGER_S3_ENDPOINT .* must be an http/,
    ],
    [
      'LEDGER_S3_FORCE_PATH_STYLE',
      { LEDGER_ARCHIVE: 's3://bucket', LEDGER_S3_FORCE_PATH_STYLE: 'maybe' },
      /LEDGER_S3_FORCE_PATH_STYLE must be true or false/,
    ],
    [
      'LEDGER_ARCHIVE_RETENTION',
      { LEDGER_ARCHIVE_RETENTION: 'forever' },
      /LEDGER_ARCHIVE_RETENTION: retention policy "forever" is not valid/,
    ],
    [
      'LEDGER_TEMPLATES_DIR',
      { LEDGER_TEMPLATES_DIR: '/nonexistent/templates' },
      /LEDGER_TEMPLATES_DIR must be a directory of evidence templates/,
    ],
    [
      'LEDGER_FORENSICS_POLL_MS',
      { LEDGER_FORENSICS_POLL_MS: '5' },
      /LEDGER_FORENSICS_POLL_MS must be an integer from 10 to 60000, got "5"/,
    ],
  ])('%s', async (name, env, message) => {
    const db = join(dir, `${name}.db`);
    const service = await startServiceProcess({ LEDGER_STORE: `sqlite:${db}`, LEDGER_KEY_FILE: join(dir, `${name}.key`), ...env });
    expect(await service.exited).toBe(2);
    expect(service.output()).toMatch(/evidence-ledger: cannot start: /);
    expect(service.output()).toMatch(message);
    expect(existsSync(db)).toBe(false);
  });
});
