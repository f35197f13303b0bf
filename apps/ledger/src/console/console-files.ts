import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

/** One file of the built console, ready to send. */
export interface ConsoleFile {
  readonly body: Buffer;
  readonly contentType: string;
  /** Vite names every asset by its content hash, so only index.html may change under a name. */
  readonly immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

// The console's build output (apps/console/dist), the same from the service's sources and from
// its build (apps/ledger/src/console and apps/ledger/dist/console).
export const CONSOLE_DIR = resolve(__dirname, '..', '..', '..', 'console', 'dist');

/**
 * Resolves a path under /console/ to a file of the build: the file itself, or index.html for a
 * client route, so a reload or a shared link to /console/changes/… opens the page (change ids
 * hold dots and slashes, so any path outside assets/ is a route). A missing asset is missing.
 * Never leaves the build directory.
 */
export function consoleFile(relativePath: string, dir: string = CONSOLE_DIR): ConsoleFile | undefined {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return undefined;
  const path = resolve(dir, `.${sep}${decodeSafely(relativePath)}`);
  if (path.startsWith(dir + sep) && existsSync(path) && statSync(path).isFile()) {
    return { body: readFileSync(path), contentType: TYPES[extname(path)] ?? 'application/octet-stream', immutable: path !== index };
  }
  if (relativePath.startsWith('assets/')) return undefined;
  return { body: readFileSync(index), contentType: TYPES['.html'], immutable: false };
}

function decodeSafely(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return '\0';
  }
}
