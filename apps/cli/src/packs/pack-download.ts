import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pathExists, syncDirectory } from '@evidence-ledger/store';
import { CliError } from '../cli-error';
import { ApiTarget, answerOf, ledgerApi } from '../ledger-api-client';

/** Refuses an existing `--out` unless `--force`, before anything is asked of the service. */
export async function assertWritable(path: string, replace: boolean): Promise<void> {
  if (!replace && (await pathExists(path))) throw new CliError('USAGE', `${path} already exists; pass --force to replace it`);
}

// Downloads a ready pack into `path`: streamed into a temp file beside it, checked against
// the SHA-256 the service recorded for the pack, fsynced, and only then moved into place —
// so a dropped connection, a corrupted transfer or a crash never leaves part of a pack under
// the real name. Without `replace` the final step is a hard link, which refuses (atomically)
// to replace a file that appeared meanwhile.
export async function downloadPack(target: ApiTarget, id: string, sha256: string, path: string, replace: boolean): Promise<void> {
  await assertWritable(path, replace);
  const { api, origin } = ledgerApi(target);
  const body = answerOf(
    await api.stream(`/v1/evidence-packs/${id}/download`, AbortSignal.timeout(300_000)),
    origin,
    `downloading pack ${id}: `,
  );
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(temp, 'wx', 0o644);
  } catch (cause) {
    throw new CliError('INPUT_UNAVAILABLE', `cannot write in ${dirname(path)}`, { cause });
  }
  try {
    const hash = createHash('sha256');
    try {
      for await (const chunk of Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>)) {
        hash.update(chunk as Buffer);
        await handle.write(chunk as Buffer);
      }
    } catch (cause) {
      throw new CliError('INPUT_UNAVAILABLE', `downloading pack ${id} failed part-way; nothing was written`, { cause });
    }
    const got = hash.digest('hex');
    if (got !== sha256)
      throw new CliError(
        'INPUT_INVALID',
        `pack ${id} arrived with SHA-256 ${got}, not the ${sha256} the service recorded; nothing was written`,
      );
    await handle.sync();
    await handle.close();
    try {
      if (replace) await fs.rename(temp, path);
      else await fs.link(temp, path);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'EEXIST')
        throw new CliError('USAGE', `${path} already exists; pass --force to replace it`);
      throw new CliError('INPUT_UNAVAILABLE', `cannot write ${path}`, { cause });
    }
    await syncDirectory(dirname(path));
  } finally {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
  }
}
