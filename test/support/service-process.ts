import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../fixtures/cli-process';

export const SERVICE_MAIN = join(REPO_ROOT, 'apps', 'ledger', 'dist', 'main.js');

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The built service (`npm start`'s main.js) as a child process, its output collected. */
export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
  /** The JSON log lines written so far. */
  logLines(): Record<string, unknown>[];
}

// `launcher` runs before node (e.g. `prlimit --fsize=…`), so the service gets real OS limits.
export async function startServiceProcess(env: Record<string, string>, launcher: readonly string[] = []): Promise<ServiceProcess> {
  const port = await freePort();
  const [command, ...args] = [...launcher, process.execPath, SERVICE_MAIN];
  const child = spawn(command, args, { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let stopped = false;
  void exited.then(() => (stopped = true));
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200 && !stopped && !/listening on/.test(output); i++) await new Promise((r) => setTimeout(r, 50));
  return {
    url,
    child,
    exited,
    output: () => output,
    logLines: () =>
      output
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
