import { Command } from 'commander';
import { ArchiveStore, describePolicy, retainUntil, SealedSegment, SegmentError, SegmentSealer } from '@evidence-ledger/archive';
import { LedgerStore } from '@evidence-ledger/store';
import { archiveOption, asCliError, openArchiveAt, parseRetention, retentionOption } from '../archive/archive-options';
import { CliError } from '../cli-error';
import { CliContext, CommandIo } from '../command-io';
import { EXIT, ExitCode } from '../exit-codes';
import { openExistingStore, storeOption, unknownTenant } from '../store-location';

export interface ArchiveSealOptions {
  readonly store: string;
  readonly archive?: string;
  readonly tenant?: string;
  readonly to?: string;
  readonly retention: string;
  readonly legalHold?: boolean;
  readonly json?: boolean;
}

export function registerArchiveSeal(group: Command, { io, action }: CliContext): void {
  group
    .command('seal')
    .summary('write the log since the last sealed segment to the archive, locked for its retention period')
    .description(
      'Seal each tenant log (or one, with --tenant) into the archive: the entries since the last sealed segment up to the latest signed checkpoint (or --to), ' +
        'with their checkpoints and a consistency proof, as one evidence-ledger/log-segment/v1 object under segments/<tenant>/<from>-<to>.jsonl. ' +
        'On S3 the object is written with Object Lock in COMPLIANCE mode until the retention date; on disk it is written read-only (best effort). ' +
        'Every entry is re-hashed against the checkpoints while the segment is written: an inconsistent log is never sealed, nothing is stored (exit 1).',
    )
    .addOption(storeOption())
    .addOption(archiveOption())
    .option('--tenant <tenant>', 'seal only this tenant (default: every tenant with a signed checkpoint)')
    .option('--to <treeSize>', 'seal up to this tree size, which must have a checkpoint (needs --tenant; default: the latest checkpoint)')
    .addOption(retentionOption())
    .option('--legal-hold', 'also place a legal hold on the segments (kept until released, whatever the retention)')
    .option('--json', 'print the result as JSON')
    .action(action((options: ArchiveSealOptions) => sealArchive(options, io)));
}

interface TenantResult {
  readonly tenant: string;
  readonly sealed?: SealedSegment;
  readonly sealedUpTo?: number;
  readonly failure?: string;
}

export async function sealArchive(options: ArchiveSealOptions, io: CommandIo): Promise<ExitCode> {
  if (options.to !== undefined && options.tenant === undefined)
    throw new CliError('USAGE', '--to needs --tenant: tree sizes are per tenant log');
  const to = options.to === undefined ? undefined : treeSize(options.to);
  const policy = parseRetention(options.retention);
  const now = new Date();
  const until = retainUntil(policy, now);
  const store = await openExistingStore(options.store);
  try {
    const archive = await openArchiveAt(options.archive);
    try {
      const tenants = await tenantsToSeal(store, options.tenant);
      const sealer = new SegmentSealer(store, archive, () => now);
      const results: TenantResult[] = [];
      for (const tenant of tenants)
        results.push(await sealTenant(sealer, tenant, { to, retainUntil: until, legalHold: options.legalHold === true }));
      print(results, archive, `${describePolicy(policy)}: until ${until.toISOString()}`, options.json === true, io);
      return results.some((r) => r.failure) ? EXIT.VERIFICATION_FAILED : EXIT.OK;
    } finally {
      await archive.close();
    }
  } catch (e) {
    throw asCliError(e);
  } finally {
    await store.close();
  }
}

async function sealTenant(
  sealer: SegmentSealer,
  tenant: string,
  options: { to?: number; retainUntil: Date; legalHold: boolean },
): Promise<TenantResult> {
  try {
    const sealed = await sealer.seal(tenant, options);
    return sealed ? { tenant, sealed } : { tenant, sealedUpTo: await sealer.sealedUpTo(tenant) };
  } catch (e) {
    if (e instanceof SegmentError && e.code === 'LOG_INCONSISTENT') return { tenant, failure: e.message };
    throw e;
  }
}

async function tenantsToSeal(store: LedgerStore, tenant: string | undefined): Promise<string[]> {
  if (tenant !== undefined) {
    if (!(await store.latestCheckpoint(tenant))) throw await unknownTenant(store, tenant);
    return [tenant];
  }
  const tenants: string[] = [];
  for (const t of await store.tenants()) if (await store.latestCheckpoint(t)) tenants.push(t);
  if (tenants.length === 0) throw new CliError('TENANT_UNKNOWN', `${store.location} holds no signed log to seal`);
  return tenants;
}

function print(results: readonly TenantResult[], archive: ArchiveStore, retention: string, json: boolean, io: CommandIo): void {
  if (json) {
    const tenants = results.map((r) => ({
      tenant: r.tenant,
      ...(r.sealed
        ? { sealed: { from: r.sealed.from, to: r.sealed.to, checkpoints: r.sealed.checkpoints, ...r.sealed.object } }
        : r.failure
          ? { failure: r.failure }
          : { nothingToSeal: true, sealedUpTo: r.sealedUpTo }),
    }));
    io.out(`${JSON.stringify({ archive: archive.location, worm: archive.worm, retention, tenants }, null, 2)}\n`);
    return;
  }
  io.out(`archive    ${archive.location}${archive.worm ? ' (S3 Object Lock, COMPLIANCE)' : ' (disk: read-only files, not WORM)'}\n`);
  io.out(`retention  ${retention}\n`);
  for (const r of results) {
    if (r.failure) {
      io.out(`FAILED ${r.tenant}: ${r.failure}\n`);
    } else if (!r.sealed) {
      io.out(`${r.tenant}: nothing new to seal (sealed up to tree size ${r.sealedUpTo})\n`);
    } else {
      const { from, to, checkpoints, object } = r.sealed;
      const lock = object.lockMode === 'DISK' ? 'read-only' : `${object.lockMode ?? 'unlocked'}`;
      io.out(
        `sealed ${r.tenant}: entries ${from}..${to - 1} (${to - from} entries, ${checkpoints} checkpoints) → ${object.key}\n` +
          `  ${object.size} bytes, sha256 ${object.sha256}, version ${object.versionId}, ${lock} until ${object.retainUntil?.toISOString()}${object.legalHold ? ', legal hold' : ''}\n`,
      );
    }
  }
}

function treeSize(text: string): number {
  if (!/^(0|[1-9]\d{0,15})$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new CliError('USAGE', `--to must be a tree size (a non-negative integer), not "${text}"`);
  }
  return Number(text);
}
