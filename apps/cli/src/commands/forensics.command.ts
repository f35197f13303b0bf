import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { FORENSICS_PROJECTION, ForensicsProjection, ProjectionRunner } from '@evidence-ledger/forensics';
import { ForensicsStore, forensicsStoreOf, LedgerStore } from '@evidence-ledger/store';
import { CliContext, CommandIo } from '../command-io';
import { EXIT, ExitCode } from '../exit-codes';
import { openExistingStore, storeOption, unknownTenant } from '../store-location';

interface ForensicsOptions {
  readonly store: string;
  readonly tenant?: string;
  readonly json?: boolean;
}

interface TenantReport {
  readonly tenant: string;
  readonly position: number;
  readonly treeSize: number;
  /** SHA-256 over every forensics row of the tenant (dump order): equal digests, identical forensics tables. */
  readonly digest: string;
  readonly applied?: number;
  readonly entriesPerSecond?: number;
}

export function registerForensics(program: Command, context: CliContext): void {
  addForensicsCommands(
    program.command('forensics').description('the forensics tables (change timelines, exceptions, inventory, approvals, spend)'),
    context,
  );
  // The command's earlier name: scripts call it, so it stays, out of the help.
  addForensicsCommands(
    program.command('projections', { hidden: true }).description('the forensics tables (old name of `forensics`)'),
    context,
  );
}

function addForensicsCommands(group: Command, { io, action }: CliContext): void {
  group
    .command('rebuild')
    .summary('drop the forensics tables and recreate them from the log alone')
    .description(
      "Drop every forensics table (or one tenant's) and refill it from the log, in order, printing each tenant's position and a digest of its forensics tables: a rebuild of the same log always gives the same digest. Safe while the service runs (it picks up from the rebuilt position).",
    )
    .addOption(storeOption())
    .option('--tenant <tenant>', "rebuild only this tenant's forensics tables")
    .option('--json', 'print the report as JSON')
    .action(action((o: ForensicsOptions) => rebuild(o, io)));
  group
    .command('status')
    .summary("each tenant's forensics position, lag and digest")
    .addOption(storeOption())
    .option('--tenant <tenant>', 'only this tenant')
    .option('--json', 'print the report as JSON')
    .action(action((o: ForensicsOptions) => status(o, io)));
}

async function rebuild(options: ForensicsOptions, io: CommandIo): Promise<ExitCode> {
  return withForensics(options, async (store, tables, tenants) => {
    await tables.reset(options.tenant);
    const reports: TenantReport[] = [];
    for (const tenant of tenants) {
      const started = performance.now();
      const applied = await new ProjectionRunner({
        store: tables,
        tenant,
        projections: [new ForensicsProjection()],
        batchSize: 5000,
      }).catchUp();
      const seconds = (performance.now() - started) / 1000;
      reports.push({
        ...(await report(store, tables, tenant)),
        applied,
        entriesPerSecond: seconds > 0 ? Math.round(applied / seconds) : 0,
      });
    }
    print(
      reports,
      options,
      io,
      (r) =>
        `rebuilt ${r.tenant}: ${r.applied} entries (${r.entriesPerSecond?.toLocaleString('en-US')} entries/s), position ${r.position}, digest ${r.digest}`,
    );
    return EXIT.OK;
  });
}

async function status(options: ForensicsOptions, io: CommandIo): Promise<ExitCode> {
  return withForensics(options, async (store, tables, tenants) => {
    const reports = await Promise.all(tenants.map((t) => report(store, tables, t)));
    print(
      reports,
      options,
      io,
      (r) => `${r.tenant}: position ${r.position} of ${r.treeSize} (lag ${r.treeSize - r.position}), digest ${r.digest}`,
    );
    return EXIT.OK;
  });
}

async function withForensics(
  options: ForensicsOptions,
  work: (store: LedgerStore, tables: ForensicsStore, tenants: string[]) => Promise<ExitCode>,
): Promise<ExitCode> {
  const store = await openExistingStore(options.store);
  try {
    const known = await store.tenants();
    if (options.tenant !== undefined && !known.includes(options.tenant)) throw await unknownTenant(store, options.tenant);
    const tables = forensicsStoreOf(store);
    await tables.migrate({ tables: new ForensicsProjection().tables });
    return await work(store, tables, options.tenant === undefined ? known : [options.tenant]);
  } finally {
    await store.close();
  }
}

async function report(store: LedgerStore, tables: ForensicsStore, tenant: string): Promise<TenantReport> {
  const hash = createHash('sha256');
  for await (const d of tables.dump(tenant)) hash.update(`${JSON.stringify(d)}\n`);
  const [positions, head] = await Promise.all([tables.positions(tenant), store.head(tenant)]);
  return { tenant, position: positions[FORENSICS_PROJECTION] ?? 0, treeSize: head.treeSize, digest: hash.digest('hex') };
}

function print(reports: TenantReport[], options: ForensicsOptions, io: CommandIo, line: (r: TenantReport) => string): void {
  if (options.json) io.out(`${JSON.stringify(reports, null, 2)}\n`);
  else io.out(reports.length === 0 ? 'the store holds no logs\n' : reports.map((r) => `${line(r)}\n`).join(''));
}
