import { resolve } from 'node:path';
import { Command } from 'commander';
import { parseCheckpoint, parseSignedNote } from '@evidence-ledger/core';
import { LedgerStore, StoredCheckpoint } from '@evidence-ledger/store';
import { CliError } from '../cli-error';
import { CliContext, CommandIo } from '../command-io';
import { EXIT, ExitCode } from '../exit-codes';
import { AtomicFileWriter } from '../log-export/atomic-file-writer';
import { checkpointLine, entryLine } from '@evidence-ledger/ledger';
import { EXPORT_FORMAT, ExportHeader } from '@evidence-ledger/verify';
import { openExistingStore, storeOption, unknownTenant } from '../store-location';

export interface ExportOptions {
  readonly store: string;
  readonly tenant: string;
  readonly out: string;
  readonly force?: boolean;
}

export function registerExport(program: Command, { io, action }: CliContext): void {
  program
    .command('export')
    .summary("write a tenant's log to a file an auditor verifies offline")
    .description(
      `Write a tenant's log as ${EXPORT_FORMAT} JSON lines (docs/log-export-format.md): a header, every ` +
        'entry with its exact stored bytes and hashes, and each signed checkpoint after the entry that completes it, up to the latest checkpoint. Streams; the file appears only when complete. Check it with: evidence-ledger verify-export <file> --public-key <file>',
    )
    .addOption(storeOption())
    .requiredOption('--tenant <tenant>', 'the tenant whose log to export')
    .requiredOption('--out <file>', 'the file to write, e.g. acme.log.jsonl')
    .option('--force', 'replace the file if it exists')
    .action(action((options: ExportOptions) => exportLog(options, io)));
}

// Exports exactly what the store holds, without judging it: a damaged log exports damaged,
// and verify-export says where.
export async function exportLog(options: ExportOptions, io: CommandIo): Promise<ExitCode> {
  const out = resolve(options.out);
  const replace = options.force === true;
  const store = await openExistingStore(options.store);
  try {
    const latest = await store.latestCheckpoint(options.tenant);
    if (!latest) throw await unknownTenant(store, options.tenant);
    const header: ExportHeader = {
      format: EXPORT_FORMAT,
      tenant: options.tenant,
      origin: originOf(latest),
      treeSize: latest.treeSize,
      exportedAt: new Date().toISOString(),
    };
    const file = await AtomicFileWriter.create(out, { replace });
    let written: { entries: number; checkpoints: number };
    try {
      await file.writeLine(JSON.stringify(header));
      written = await writeLog(store, options.tenant, latest.treeSize, (line) => file.writeLine(line));
    } catch (e) {
      await file.discard();
      throw e;
    }
    await file.commit({ replace });
    io.out(
      `exported ${written.entries} entries and ${written.checkpoints} checkpoints of tenant ${options.tenant} (tree size ${latest.treeSize}, origin ${header.origin}) to ${out}\n`,
    );
    if (written.entries !== latest.treeSize) {
      io.err(
        `evidence-ledger: warning: the store holds ${written.entries} of the ${latest.treeSize} entries its latest checkpoint covers; run verify-log\n`,
      );
    }
    return EXIT.OK;
  } finally {
    await store.close();
  }
}

// Entries [0, treeSize) interleaved with the checkpoints up to treeSize, each checkpoint after
// the entry that completes it; checkpoints beyond the entries present go last.
async function writeLog(
  store: LedgerStore,
  tenant: string,
  treeSize: number,
  write: (line: string) => Promise<void>,
): Promise<{ entries: number; checkpoints: number }> {
  const checkpoints = store.readCheckpoints(tenant)[Symbol.asyncIterator]();
  let next = await checkpoints.next();
  const written = { entries: 0, checkpoints: 0 };
  const writeCheckpointsUpTo = async (size: number) => {
    while (!next.done && next.value.treeSize <= size) {
      await write(checkpointLine(next.value.note));
      written.checkpoints++;
      next = await checkpoints.next();
    }
  };
  await writeCheckpointsUpTo(0);
  for await (const entry of store.readEntries(tenant, 0, treeSize)) {
    await write(entryLine(entry));
    written.entries++;
    await writeCheckpointsUpTo(entry.sequence + 1);
  }
  await writeCheckpointsUpTo(treeSize);
  return written;
}

// The header's origin is read, unverified, from the latest checkpoint; verify-export checks it
// against every signed checkpoint in the file.
function originOf(checkpoint: StoredCheckpoint): string {
  try {
    return parseCheckpoint(parseSignedNote(checkpoint.note).text).origin;
  } catch (cause) {
    throw new CliError(
      'INPUT_INVALID',
      `the latest checkpoint (tree size ${checkpoint.treeSize}) is malformed (${(cause as Error).message}); run verify-log`,
    );
  }
}
