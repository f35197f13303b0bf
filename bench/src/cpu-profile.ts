import { readFileSync } from 'node:fs';

// Summarizes a V8 .cpuprofile (node --cpu-prof), e.g. of the ledger service under the http.*
// benchmarks (LEDGER_BENCH_HTTP_CPU_PROF=<dir>):
//   node bench/dist/cpu-profile.js <file.cpuprofile> [--top N] [--match <regex>]
// Prints self time by area (package, libs/<x>, apps/ledger, Node internals, GC, idle), the
// top functions by self time, the top functions by total (inclusive) time, and the total
// time of every function whose `name  file:line` label matches --match.

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function area(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName.startsWith('(')) return functionName;
    if (/^(writev|writeBuffer|write\w*String|shutdown|readStart|readStop)$/.test(functionName)) return 'node:net'; // socket writes
    if (functionName === 'runMicrotasks') return 'node:internal/process';
    return '(native)';
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const lib = /\/libs\/([^/]+)\//.exec(url);
  if (lib) return `libs/${lib[1]}`;
  const app = /\/apps\/([^/]+)\/(?:dist|src)\/([^/]+)/.exec(url);
  if (app) return `apps/${app[1]}/${app[2].replace(/\.js$/, '')}`;
  return url;
}

// Areas grouped into the layers a request passes through.
const LAYERS: readonly [string, RegExp][] = [
  ['garbage collection', /^\(garbage collector\)$/],
  [
    'Node HTTP + sockets (node:_http_*, net, streams, native writev)',
    /^(node:_http|node:net|node:internal\/streams|node:internal\/http|node:stream)/,
  ],
  [
    'promise/tick plumbing (async_hooks, microtasks, timers, events)',
    /^(node:internal\/async_hooks|node:async_hooks|node:internal\/process|node:internal\/timers|node:timers|node:events|\(program\)$)/,
  ],
  [
    'Express + Nest (router, express, @nestjs/*, rxjs, reflect-metadata)',
    /^(express|router|@nestjs\/|rxjs|reflect-metadata|path-to-regexp|parseurl|finalhandler|on-finished|qs|send|content-type|mime|encodeurl|etag|fresh|vary|depd|setprototypeof|statuses|safe-buffer)/,
  ],
  [
    'logging (pino-http, pino)',
    /^(pino|@pinojs\/|pino-|safe-stable-stringify|sonic-boom|thread-stream|quick-format-unescaped|fast-redact)/,
  ],
  ['metrics (prom-client)', /^(prom-client|tdigest|bintrees|apps\/ledger\/metrics)/],
  [
    'validation (Ajv for catalog data, class-validator for request DTOs)',
    /^(ajv|fast-deep-equal|fast-uri|class-validator|class-transformer|validator|libphonenumber-js|apps\/ledger\/catalog)/,
  ],
  ['SQLite (better-sqlite3, includes blocking COMMIT/fsync)', /^better-sqlite3$/],
  ['PostgreSQL driver (pg*)', /^(pg|pg-[a-z-]+|pgpass|postgres-[a-z-]+|split2)$/],
  ['crypto (node:internal/crypto: SHA-256, Ed25519)', /^node:internal\/crypto/],
  ['ledger libs (libs/*, canonicalize)', /^(libs\/|canonicalize$)/],
  ['service code (apps/ledger)', /^apps\/ledger/],
];

const layerOf = (a: string): string => LAYERS.find(([, re]) => re.test(a))?.[0] ?? 'other (buffers, modules, …)';

function label(frame: CallFrame): string {
  const file = frame.url.replace(/^.*\/(node_modules|libs|apps)\//, '$1/').replace(/^file:\/\//, '');
  return `${frame.functionName || '(anonymous)'}  ${file}:${frame.lineNumber + 1}`;
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && !['--top', '--match'].includes(args[i - 1]));
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 30;
  const matchAt = args.indexOf('--match');
  const match = matchAt >= 0 ? new RegExp(args[matchAt + 1]) : undefined;
  if (!file) {
    console.error('usage: node bench/dist/cpu-profile.js <file.cpuprofile> [--top N] [--match <regex>]');
    process.exitCode = 2;
    return;
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  let all = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    all += dt;
    if (node.callFrame.functionName === '(idle)') idle += dt;
    const key = label(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + dt);
    const a = area(node.callFrame);
    areas.set(a, (areas.get(a) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = label((byId.get(at) as ProfileNode).callFrame);
      if (!seen.has(k)) {
        seen.add(k);
        total.set(k, (total.get(k) ?? 0) + dt);
      }
    }
  });
  const busy = all - idle;
  const ms = (us: number) => (us / 1000).toFixed(0).padStart(7);
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const print = (title: string, m: Map<string, number>, n: number, skip: (k: string) => boolean = () => false) => {
    console.log(`\n${title}`);
    for (const [k, v] of [...m]
      .filter(([k]) => !skip(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, n))
      console.log(`${ms(v)} ms ${pct(v)}  ${k}`);
  };
  console.log(`${file}: ${(all / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (percentages are of busy time)`);
  const layers = new Map<string, number>();
  for (const [a, v] of areas) if (a !== '(idle)') layers.set(layerOf(a), (layers.get(layerOf(a)) ?? 0) + v);
  print('self time by layer', layers, 100);
  print('self time by area', areas, top, (k) => k === '(idle)');
  print('self time by function', self, top, (k) => k.startsWith('(idle)'));
  print('total time by function', total, top, (k) => k.startsWith('(root)') || k.startsWith('(idle)'));
  if (match) print(`total time of functions matching ${match}`, total, 1000, (k) => !match.test(k));
}

main();
