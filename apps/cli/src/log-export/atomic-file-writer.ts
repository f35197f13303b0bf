import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from '../cli-error';
import { pathExists as exists, syncDirectory } from '@evidence-ledger/store';

const FLUSH_BYTES = 1 << 20;

// Writes a file line by line into a temp file beside it (mode 0600: an export holds every
// event of a tenant) and moves it into place only once it
// is complete and fsynced, so a crash or an error never leaves half an export under the real
// name. Without `replace`, the final step is a hard link, which refuses (atomically) to
// replace a file that appeared meanwhile.
export class AtomicFileWriter {
  private pending: string[] = [];
  private pendingBytes = 0;

  private constructor(
    private readonly path: string,
    private readonly temp: string,
    private readonly handle: fs.FileHandle,
  ) {}

  static async create(path: string, options: { replace: boolean }): Promise<AtomicFileWriter> {
    if (!options.replace && (await exists(path))) {
      throw new CliError('USAGE', `${path} already exists; pass --force to replace it`);
    }
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      return new AtomicFileWriter(path, temp, await fs.open(temp, 'wx', 0o600));
    } catch (cause) {
      throw new CliError('INPUT_UNAVAILABLE', `cannot write in ${dirname(path)}`, { cause });
    }
  }

  async writeLine(line: string): Promise<void> {
    this.pending.push(line, '\n');
    this.pendingBytes += line.length + 1;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  async commit(options: { replace: boolean }): Promise<void> {
    try {
      await this.flush();
      await this.handle.sync();
      await this.handle.close();
      if (options.replace) {
        await fs.rename(this.temp, this.path);
      } else {
        await fs.link(this.temp, this.path);
        await fs.rm(this.temp, { force: true });
      }
      await syncDirectory(dirname(this.path));
    } catch (cause) {
      await this.discard();
      if ((cause as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new CliError('USAGE', `${this.path} already exists; pass --force to replace it`);
      }
      throw new CliError('INPUT_UNAVAILABLE', `cannot write ${this.path}`, { cause });
    }
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.temp, { force: true });
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    await this.handle.writeFile(chunk, 'utf8');
  }
}
