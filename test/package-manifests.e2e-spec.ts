import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// Each workspace's package.json lists exactly the packages its shipped sources import: nothing
// missing (it would install broken on its own), nothing extra (it would drag in what it never
// loads). Tests, test helpers and benchmarks take their tools from the root devDependencies.

const root = join(__dirname, '..');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };

interface Manifest {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

function shippedSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return ['dist', 'node_modules', 'testing'].includes(name) ? [] : shippedSources(path);
    return /\.tsx?$/.test(path) && !/\.(spec|int-spec|e2e-spec)\.tsx?$/.test(path) ? [path] : [];
  });
}

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0])) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export function importedPackages(sourceDir: string): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const file of shippedSources(sourceDir)) {
    const text = readFileSync(file, 'utf8');
    const specifiers = [
      ...text.matchAll(/^\s*(?:import|export)\b[^;']*?\bfrom\s+'([^']+)'/gm), // import/export … from 'x'
      ...text.matchAll(/^\s*import\s+'([^']+)'/gm), // import 'x' for its effects
      ...text.matchAll(/\b(?:require|import)\(\s*'([^']+)'\s*\)/g), // require('x'), import('x')
    ].map((m) => m[1]);
    for (const name of specifiers.map(packageOf)) {
      if (name === undefined) continue;
      used.set(name, [...(used.get(name) ?? []), relative(root, file)]);
    }
  }
  return used;
}

function installedManifest(name: string): Manifest | undefined {
  const path = join(root, 'node_modules', name, 'package.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : undefined;
}

// Which of our packages each may import (docs/architecture.md, "The packages"): the graph
// points inward, to core. A new edge is a design decision: make it here and in the doc.
const ours = (...names: string[]) => names.map((name) => `@evidence-ledger/${name}`);
const MAY_IMPORT: Record<string, readonly string[]> = {
  'libs/core': [],
  'libs/signing': ours('core'),
  'libs/store': ours('core'),
  'libs/verify': ours('core'),
  'libs/sdk': ours('core'),
  'libs/samples': ours('core'),
  'libs/ledger': ours('core', 'signing', 'store', 'verify'),
  'libs/forensics': ours('core', 'store'),
  'libs/archive': ours('core', 'store', 'verify'),
  'libs/evidence': ours('core', 'signing', 'store', 'verify', 'ledger', 'archive'),
  'apps/ledger': ours('core', 'signing', 'store', 'verify', 'ledger', 'forensics', 'archive', 'evidence'),
  // The console runs in a browser and re-implements the few checks it makes (apps/console/src/verify).
  'apps/console': [],
  'apps/cli': ours('core', 'signing', 'store', 'verify', 'ledger', 'forensics', 'archive', 'sdk', 'samples'),
};

describe('package manifests', () => {
  const workspaces = rootManifest.workspaces.filter((dir) => existsSync(join(root, dir, 'src')));

  it.each(workspaces)('%s lists exactly the packages its sources import', (dir) => {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Manifest;
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const used = importedPackages(join(root, dir, 'src'));
    used.delete(manifest.name);
    const missing = [...used.keys()].filter((name) => !declared.has(name)).map((name) => `${name} (imported by ${used.get(name)![0]})`);
    // A peer a used package asks its host to install (rxjs for NestJS) is used through it.
    const peers = new Set([...used.keys()].flatMap((name) => Object.keys(installedManifest(name)?.peerDependencies ?? {})));
    const unused = [...declared].filter((name) => !used.has(name) && !peers.has(name));
    expect({ missing, unused }).toEqual({ missing: [], unused: [] });
  });

  it.each(workspaces)('%s imports only the packages of ours the architecture allows it', (dir) => {
    expect(Object.keys(MAY_IMPORT)).toContain(dir);
    const forbidden = [...importedPackages(join(root, dir, 'src')).keys()].filter(
      (name) => name.startsWith('@evidence-ledger/') && !MAY_IMPORT[dir].includes(name),
    );
    expect(forbidden).toEqual([]);
  });

  it('finds imports of every form the sources use', () => {
    expect(packageOf('@sigstore/verify')).toBe('@sigstore/verify');
    expect(packageOf('ajv/dist/standalone')).toBe('ajv');
    expect(packageOf('node:fs')).toBeUndefined();
    expect(packageOf('fs')).toBeUndefined();
    expect(packageOf('./local')).toBeUndefined();
    const ledger = importedPackages(join(root, 'libs/ledger/src'));
    expect([...ledger.keys()]).toContain('@evidence-ledger/core');
  });
});
