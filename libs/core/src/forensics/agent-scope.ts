/**
 * Whether a repository path lies inside the paths a task granted (`scope.paths`). Globs:
 * `**` matches any run of characters including `/`, `*` any run within one path segment,
 * `?` one character within a segment; everything else matches itself. A path with a `..`
 * segment is never inside a scope: it may point anywhere.
 */
export function isPathInScope(path: string, granted: readonly string[]): boolean {
  const target = normalize(path);
  if (target.split('/').includes('..')) return false;
  return granted.some((glob) => globToRegExp(normalize(glob)).test(target));
}

function normalize(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '');
}

const cache = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `dir/**` also matches `dir` itself; `**/x` matches `x` at the root.
      const slashAfter = glob[i + 2] === '/';
      source += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  re = new RegExp(`^${source.replace(/\/\.\*$/, '(?:/.*)?')}$`);
  if (cache.size < 10_000) cache.set(glob, re);
  return re;
}
