import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'dist' || name === 'node_modules' ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('the layout keeps dependencies pointing inward', () => {
  it('imports nothing into libs/core but node:crypto, the RFC 8785 library and core itself', () => {
    const allowed = /^(\.{1,2}\/|node:crypto$|canonicalize$)/;
    // The durable-write helpers (libs/core/src/durable) are core's one I/O: local files only.
    const durable = /^(\.{1,2}\/|node:crypto$|node:fs$|node:path$)/;
    const offenders = sources(join(root, 'libs/core/src'))
      .filter((f) => !f.includes('/testing/'))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'|require\('([^']+)'\)/g)]
          .map((m) => m[1] ?? m[2])
          .filter((spec) => !(file.includes('/core/src/durable/') ? durable : allowed).test(spec))
          .map((spec) => `${relative(root, file)} imports ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  it('has a lint rule that refuses a driver or framework import in libs/core', () => {
    const source = "import { Pool } from 'pg';\nimport { Injectable } from '@nestjs/common';\nexport { Pool, Injectable };\n";
    const eslint = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/eslint/bin/eslint.js'),
        '--format',
        'json',
        '--stdin',
        '--stdin-filename',
        join(root, 'libs/core/src/merkle/not-allowed.ts'),
      ],
      { cwd: root, input: source, encoding: 'utf8' },
    );
    const [result] = JSON.parse(eslint.stdout) as { messages: { ruleId: string }[] }[];
    expect(result.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toHaveLength(2);
  });

  // The browser console cannot load core (it hashes and verifies with node:crypto), so it keeps
  // the one other decoder, held to core's by its own spec (apps/console/src/verify).
  it('keeps one strict base64 decoder and one set of durable-write helpers, in libs/core (and the browser console)', () => {
    const helpers = /function (decodeBase64|syncDirectory|syncDirectorySync|writeFileDurably|replaceFileDurably)\b/g;
    const definitions = ['libs', 'apps']
      .flatMap((dir) => sources(join(root, dir)))
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(helpers)].map((m) => `${relative(root, file)}: ${m[1]}`))
      .sort();
    expect(definitions).toEqual([
      'apps/console/src/verify/base64.ts: decodeBase64',
      'libs/core/src/durable/durable-file.ts: replaceFileDurably',
      'libs/core/src/durable/durable-file.ts: syncDirectory',
      'libs/core/src/durable/durable-file.ts: syncDirectorySync',
      'libs/core/src/durable/durable-file.ts: writeFileDurably',
      'libs/core/src/encoding/base64.ts: decodeBase64',
    ]);
  });

  it('reads configuration in one place: the service in ledger-config.ts, the CLI its LEDGER_URL / LEDGER_API_KEY in ledger-target-options.ts', () => {
    const service = ['apps/ledger/src', 'libs']
      .flatMap((dir) => sources(join(root, dir)))
      .filter((file) => !file.includes('/testing/') && !file.endsWith('-spec.ts') && !file.endsWith('/ledger-config.ts'))
      .filter((file) =>
        /process\.env\.(?!AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED)|NodeJS\.ProcessEnv/.test(readFileSync(file, 'utf8')),
      )
      .map((file) => relative(root, file));
    expect(service).toEqual([]);
    const cli = sources(join(root, 'apps/cli/src'))
      .filter((file) => /\.env\('LEDGER_(URL|API_KEY)'\)/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(cli).toEqual(['apps/cli/src/ledger-target-options.ts']);
  });

  it('keeps the web framework out of every library', () => {
    const offenders = ['libs', 'apps/cli']
      .flatMap((dir) => sources(join(root, dir)))
      .filter((file) => /from '@nestjs\//.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});

// @evidence-ledger/verify is what an auditor installs on its own: it must not reach for the
// server's drivers, the PDF renderer or the web framework, neither in its sources nor in what
// loading it actually pulls in (a forbidden import hidden behind another package would show there).
describe('the offline verifier stays installable alone', () => {
  const forbidden = /^(pg|pg-copy-streams|better-sqlite3|pdfkit|@nestjs\/.*|@kurrent\/.*|@aws-sdk\/.*|express|rxjs)$/;
  const ours = /^@evidence-ledger\/(?!core$|verify$)/;

  it('imports into libs/verify and libs/core only node built-ins, core, Sigstore and the RFC 8785 library', () => {
    const allowed = /^(\.{1,2}\/|node:|@evidence-ledger\/core$|@sigstore\/(bundle|verify|protobuf-specs)$|canonicalize$)/;
    const offenders = ['libs/verify/src', 'libs/core/src']
      .flatMap((dir) => sources(join(root, dir)))
      .filter((f) => !f.includes('/testing/') && !f.endsWith('.int-spec.ts'))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'|require\('([^']+)'\)/g)]
          .map((m) => m[1] ?? m[2])
          .filter((spec) => !allowed.test(spec))
          .map((spec) => `${relative(root, file)} imports ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  it('loads no database driver, PDF renderer, web framework or other package of ours when required', () => {
    const probe = spawnSync(
      process.execPath,
      ['-e', "require('@evidence-ledger/verify'); process.stdout.write(JSON.stringify(Object.keys(require.cache)))"],
      { cwd: root, encoding: 'utf8' },
    );
    expect(probe.stderr).toBe('');
    const loaded = (JSON.parse(probe.stdout) as string[]).map((path) => {
      const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path.slice(path.lastIndexOf('node_modules/')));
      const inLibs = /\/libs\/([^/]+)\/dist\//.exec(path);
      return inModules?.[1] ?? (inLibs ? `@evidence-ledger/${inLibs[1]}` : path);
    });
    expect(loaded.filter((name) => forbidden.test(name) || ours.test(name))).toEqual([]);
    expect(loaded).toEqual(expect.arrayContaining(['@sigstore/verify', '@evidence-ledger/core']));
  });

  it('has a lint rule that refuses a driver, pdfkit, the framework or another package of ours in libs/verify', () => {
    const source =
      "import PDFDocument from 'pdfkit';\nimport { Pool } from 'pg';\nimport { Injectable } from '@nestjs/common';\n" +
      "import { Ledger } from '@evidence-ledger/ledger';\nimport { sha256 } from '@evidence-ledger/core';\n" +
      'export { PDFDocument, Pool, Injectable, Ledger, sha256 };\n';
    const eslint = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/eslint/bin/eslint.js'),
        '--format',
        'json',
        '--stdin',
        '--stdin-filename',
        join(root, 'libs/verify/src/packs/not-allowed.ts'),
      ],
      { cwd: root, input: source, encoding: 'utf8' },
    );
    const [result] = JSON.parse(eslint.stdout) as { messages: { ruleId: string; line: number }[] }[];
    expect(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.line)).toEqual([1, 2, 3, 4]);
  });
});
