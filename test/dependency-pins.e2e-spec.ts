import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validRange } from 'semver';

// `npm ci` resolves a dist-tag (`"latest"`, `"next"`) against the registry on every install,
// so a tag that moves breaks a lock file that was fine yesterday; `*` floats the same way on
// any re-lock. Every such request in the tree must be pinned by an exact root override that
// names the version the lock holds.

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
interface Lock {
  packages: Record<string, LockEntry>;
}
type Overrides = Record<string, string | Record<string, string>>;

const root = join(__dirname, '..');
const exactVersion = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** A request that is not a semver range (a dist-tag) or that accepts any version. */
function floats(spec: string): boolean {
  const trimmed = spec.trim();
  if (/^(npm:|file:|link:|git\+|git:|github:|https?:|workspace:)/.test(trimmed)) return false;
  return trimmed === '' || trimmed === '*' || trimmed === 'x' || validRange(trimmed) === null;
}

/** The version an override sets for `name` under `parent` (a scoped override wins), `$dep` resolved. */
function pinnedVersion(overrides: Overrides, rootDeps: Record<string, string>, parent: string, name: string): string | undefined {
  const scoped = overrides[parent];
  const spec = (typeof scoped === 'object' ? scoped[name] : undefined) ?? overrides[name];
  if (typeof spec !== 'string') return undefined;
  return spec.startsWith('$') ? rootDeps[spec.slice(1)] : spec;
}

function packageName(lockPath: string): string {
  return lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/** Where the package `name` requested from `from` is installed: node's lookup, nearest first. */
function resolve(lock: Lock, from: string, name: string): LockEntry | undefined {
  let dir = from;
  for (;;) {
    const candidate = lock.packages[dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`];
    if (candidate) return candidate;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/** Each floating request in the lock that no exact override pins to the installed version. */
export function unpinnedFloatingRequests(lock: Lock, overrides: Overrides, rootDeps: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const parent = path === '' ? '' : packageName(path);
    const requests = { ...entry.peerDependencies, ...entry.optionalDependencies, ...entry.dependencies };
    for (const [name, spec] of Object.entries(requests)) {
      if (!floats(spec)) continue;
      const installed = resolve(lock, path, name);
      const optionalPeer = entry.peerDependenciesMeta?.[name]?.optional === true || !(name in (entry.dependencies ?? {}));
      if (!installed && optionalPeer) continue; // a peer nobody installs resolves nothing
      const pin = pinnedVersion(overrides, rootDeps, parent, name);
      if (!pin || !exactVersion.test(pin)) problems.push(`${path || '(root)'} requests ${name}@"${spec}" with no exact override`);
      else if (installed?.version !== pin)
        problems.push(`${path} requests ${name}@"${spec}": override ${pin}, lock holds ${installed?.version}`);
    }
  }
  return problems;
}

describe('dependencies are pinned against registry drift', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    overrides?: Overrides;
    devDependencies?: Record<string, string>;
    dependencies?: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lock;
  const rootDeps = { ...manifest.dependencies, ...manifest.devDependencies };

  it('pins, by an exact override at the locked version, every request the lock makes through a dist-tag or "*"', () => {
    expect(unpinnedFloatingRequests(lock, manifest.overrides ?? {}, rootDeps)).toEqual([]);
  });

  it('names the request of a dependency that asks for "latest" with no override', () => {
    const drifting: Lock = {
      packages: {
        '': {},
        'node_modules/formatter': { version: '3.1.0', dependencies: { detector: 'latest', lodash: '^4.17.14' } },
        'node_modules/detector': { version: '4.0.0' },
        'node_modules/lodash': { version: '4.17.21' },
      },
    };
    expect(unpinnedFloatingRequests(drifting, {}, {})).toEqual([
      'node_modules/formatter requests detector@"latest" with no exact override',
    ]);
    expect(unpinnedFloatingRequests(drifting, { detector: '^4.0.0' }, {})).toHaveLength(1);
    expect(unpinnedFloatingRequests(drifting, { detector: '4.1.0' }, {})).toEqual([
      'node_modules/formatter requests detector@"latest": override 4.1.0, lock holds 4.0.0',
    ]);
    expect(unpinnedFloatingRequests(drifting, { detector: '4.0.0' }, {})).toEqual([]);
  });

  it('names a "*" request, honours a scoped override, and ignores an optional peer nobody installs', () => {
    const lockWithStar: Lock = {
      packages: {
        '': {},
        'node_modules/types-user': { version: '1.0.0', dependencies: { '@types/node': '*' } },
        'node_modules/@types/node': { version: '20.19.43' },
        'node_modules/client': { version: '1.0.0', dependencies: { '@types/node': '*' } },
        'node_modules/client/node_modules/@types/node': { version: '22.20.5' },
        'node_modules/health': {
          version: '1.0.0',
          peerDependencies: { mongoose: '*' },
          peerDependenciesMeta: { mongoose: { optional: true } },
        },
      },
    };
    const rootDeps = { '@types/node': '20.19.43' };
    expect(unpinnedFloatingRequests(lockWithStar, {}, rootDeps)).toHaveLength(2);
    expect(unpinnedFloatingRequests(lockWithStar, { '@types/node': '$@types/node' }, rootDeps)).toEqual([
      'node_modules/client requests @types/node@"*": override 20.19.43, lock holds 22.20.5',
    ]);
    const scoped = { '@types/node': '$@types/node', client: { '@types/node': '22.20.5' } };
    expect(unpinnedFloatingRequests(lockWithStar, scoped, rootDeps)).toEqual([]);
  });
});
