import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEFAULT_FORENSICS_POLL_MS, loadLedgerConfig } from './ledger-config';

// Every variable the service reads is read here, once; the libraries get the parsed values.
describe('loadLedgerConfig', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ledger-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the archive, its retention, the templates directory and the forensics poll interval', () => {
    const config = loadLedgerConfig({
      LEDGER_ARCHIVE: 's3://evidence-archive/ledger',
      LEDGER_S3_ENDPOINT: 'http://127.0.0.1:17480',
      LEDGER_S3_REGION: 'eu-central-1',
      LEDGER_ARCHIVE_RETENTION: 'hipaa',
      LEDGER_TEMPLATES_DIR: dir,
      LEDGER_FORENSICS_POLL_MS: '20',
    });
    expect(config.archive).toEqual({
      kind: 's3',
      bucket: 'evidence-archive',
      prefix: 'ledger',
      endpoint: 'http://127.0.0.1:17480',
      region: 'eu-central-1',
      forcePathStyle: true,
    });
    expect(config.archiveRetention?.frameworks.map((f) => f.framework)).toEqual(['hipaa']);
    expect(config.templatesDir).toBe(dir);
    expect(config.forensicsPollMs).toBe(20);
  });

  it('defaults: ./data/archive, no extra retention or templates, the default interval', () => {
    const config = loadLedgerConfig({});
    expect(config.archive).toEqual({ kind: 'disk', directory: join(process.cwd(), 'data/archive') });
    expect(config.archiveRetention).toBeUndefined();
    expect(config.templatesDir).toBeUndefined();
    expect(config.forensicsPollMs).toBe(DEFAULT_FORENSICS_POLL_MS);
  });

  it('still reads the poll interval under its former name, LEDGER_PROJECTION_POLL_MS', () => {
    expect(loadLedgerConfig({ LEDGER_PROJECTION_POLL_MS: '30' }).forensicsPollMs).toBe(30);
    expect(loadLedgerConfig({ LEDGER_FORENSICS_POLL_MS: '40', LEDGER_PROJECTION_POLL_MS: '40' }).forensicsPollMs).toBe(40);
  });

  it.each([
    [{ LEDGER_ARCHIVE: 'ftp://archive.example/x' }, /LEDGER_ARCHIVE "ftp:\/\/archive\.example\/x" cannot be used: unknown scheme/],
    [{ LEDGER_ARCHIVE: 's3://bucket', LEDGER_S3_ENDPOINT: 'not a url' }, /LEDGER_S3_ENDPOINT "not a url" is not a URL/],
    [{ LEDGER_ARCHIVE: 's3://bucket', LEDGER_S3_FORCE_PATH_STYLE: 'maybe' }, /LEDGER_S3_FORCE_PATH_STYLE must be true or false/],
    [{ LEDGER_ARCHIVE_RETENTION: 'hipaa=5y' }, /HIPAA Security Rule requires at least 6 years/],
    [
      { LEDGER_TEMPLATES_DIR: '/nonexistent/templates' },
      /LEDGER_TEMPLATES_DIR must be a directory of evidence templates, got "\/nonexistent\/templates"/,
    ],
    [{ LEDGER_FORENSICS_POLL_MS: '5' }, /LEDGER_FORENSICS_POLL_MS must be an integer from 10 to 60000, got "5"/],
    [{ LEDGER_PROJECTION_POLL_MS: '5' }, /LEDGER_PROJECTION_POLL_MS must be an integer from 10 to 60000, got "5"/],
    [{ LEDGER_FORENSICS_POLL_MS: '50', LEDGER_PROJECTION_POLL_MS: '60' }, /LEDGER_FORENSICS_POLL_MS \("50"\) and its former name/],
  ])('refuses %j as a configuration error', (env, message) => {
    expect(() => loadLedgerConfig(env)).toThrow(ConfigError);
    expect(() => loadLedgerConfig(env)).toThrow(message);
  });

  it('refuses a templates "directory" that is a file', () => {
    const file = join(dir, 'not-a-dir.yaml');
    writeFileSync(file, '');
    expect(() => loadLedgerConfig({ LEDGER_TEMPLATES_DIR: file })).toThrow(/LEDGER_TEMPLATES_DIR must be a directory/);
  });
});
