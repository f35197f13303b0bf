import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliContext, CommandIo } from '../command-io';
import { CliError } from '../cli-error';
import { EXIT, ExitCode } from '../exit-codes';
import { ApiTarget, callLedger } from '../ledger-api-client';
import { assertWritable, downloadPack } from '../packs/pack-download';
import { apiKeyOption, ledgerUrlOption } from '../ledger-target-options';

interface PackView {
  id: string;
  framework: string;
  from: string;
  to: string;
  status: 'queued' | 'building' | 'ready' | 'failed';
  progress: number;
  createdAt?: string;
  error?: string;
  summary?: { controls: number; satisfied: number; notSatisfied: number; notTested: number; notApplicable: number; exceptions: number };
  sha256?: string;
}

interface CreateOptions extends ApiTarget {
  framework: string;
  from: string;
  to: string;
  scope?: string[];
  out?: string;
  force?: boolean;
  wait?: boolean;
  json?: boolean;
}

interface ListOptions extends ApiTarget {
  framework?: string;
  status?: string;
  json?: boolean;
}

interface DownloadOptions extends ApiTarget {
  out: string;
  force?: boolean;
  wait?: boolean;
  json?: boolean;
}

const STATUSES = ['queued', 'building', 'ready', 'failed'];
const PACK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const withTarget = (command: Command): Command =>
  command.addOption(ledgerUrlOption()).addOption(apiKeyOption('an auditor or admin API key of your tenant'));

function packId(value: string): string {
  if (!PACK_ID.test(value)) throw new InvalidArgumentError('a pack id is a UUID, as `pack list` prints it');
  return value;
}

// Evidence packs are built by the service (auditor or admin key): `create` orders one
// (`--wait` polls until it is built, `--out` downloads it), `list` finds the tenant's packs
// again, `status` shows one, `download` fetches a ready one, ready for `evidence-ledger verify`.
export function registerPack(program: Command, { io, action }: CliContext): void {
  const group = program.command('pack').description('order, find and download evidence packs through the service (auditor key)');
  withTarget(group.command('create').summary('build an evidence pack for a framework and a period'))
    .requiredOption('--framework <id>', 'soc2, iso27001, hipaa, eu-ai-act or a custom template')
    .requiredOption('--from <time>', 'start of the period, RFC 3339 (inclusive)')
    .requiredOption('--to <time>', 'end of the period, RFC 3339 (exclusive); not in the future')
    .option('--scope <repository...>', 'limit the pack to these repositories')
    .option('--out <file>', 'download the pack to this file (implies --wait)')
    .option('--force', 'replace the --out file if it exists')
    .option('--wait', 'wait until the pack is built')
    .option('--json', 'print the pack status as JSON')
    .action(action((o: CreateOptions) => createPack(o, io)));
  withTarget(group.command('list').summary("list your tenant's evidence packs, oldest first"))
    .option('--framework <id>', 'only packs of this framework')
    .addOption(new Option('--status <status>', 'only packs in this state').choices(STATUSES))
    .option('--json', 'print the packs as JSON')
    .action(action((o: ListOptions) => listPacks(o, io)));
  withTarget(group.command('status').summary("show one pack's state, progress and result"))
    .argument('<id>', 'the pack id', packId)
    .option('--json', 'print the pack status as JSON')
    .action(action((id: string, o: ListOptions) => showPack(id, o, io)));
  withTarget(group.command('download').summary('download a ready pack'))
    .argument('<id>', 'the pack id', packId)
    .requiredOption('--out <file>', 'the file to write')
    .option('--force', 'replace the file if it exists')
    .option('--wait', 'wait until the pack is built first')
    .option('--json', 'print the pack status as JSON')
    .action(action((id: string, o: DownloadOptions) => fetchPack(id, o, io)));
}

async function createPack(o: CreateOptions, io: CommandIo): Promise<ExitCode> {
  // Checked before ordering: a pack should not be built only to be refused at the end.
  if (o.out) await assertWritable(resolve(o.out), o.force === true);
  const body = { framework: o.framework, from: o.from, to: o.to, ...(o.scope?.length ? { scope: { repositories: o.scope } } : {}) };
  let pack = await callLedger<PackView>(o, 'POST', 'v1/evidence-packs', body);
  if (!o.json) io.err(`pack ${pack.id} ${pack.status}\n`);
  if (o.wait || o.out) {
    pack = await untilBuilt(o, pack);
    if (o.out) await downloadPack(o, pack.id, pack.sha256 ?? '', resolve(o.out), o.force === true);
  }
  print(pack, o.json, io, o.out);
  return EXIT.OK;
}

async function listPacks(o: ListOptions, io: CommandIo): Promise<ExitCode> {
  const packs: PackView[] = [];
  const filter = new URLSearchParams({ limit: '1000' });
  if (o.framework) filter.set('framework', o.framework);
  if (o.status) filter.set('status', o.status);
  // The service pages; the listing is every page, followed to the end.
  for (let after: string | null = null; ;) {
    if (after) filter.set('after', after);
    const page: { packs: PackView[]; next: string | null } = await callLedger(o, 'GET', `v1/evidence-packs?${filter}`);
    packs.push(...page.packs);
    if (page.next === null) break;
    after = page.next;
  }
  if (o.json) io.out(`${JSON.stringify({ packs })}\n`);
  else for (const p of packs) io.out(`${line(p)}\t${p.from}\t${p.to}\n`);
  return EXIT.OK;
}

async function showPack(id: string, o: ListOptions, io: CommandIo): Promise<ExitCode> {
  print(await callLedger<PackView>(o, 'GET', `v1/evidence-packs/${id}`), o.json, io);
  return EXIT.OK;
}

async function fetchPack(id: string, o: DownloadOptions, io: CommandIo): Promise<ExitCode> {
  const out = resolve(o.out);
  await assertWritable(out, o.force === true);
  let pack = await callLedger<PackView>(o, 'GET', `v1/evidence-packs/${id}`);
  if (o.wait) pack = await untilBuilt(o, pack);
  if (pack.status === 'failed') throw new CliError('INPUT_INVALID', `pack ${pack.id} failed: ${pack.error ?? 'unknown error'}`);
  if (pack.status !== 'ready')
    throw new CliError('INPUT_INVALID', `pack ${pack.id} is ${pack.status} (${pack.progress}%); pass --wait to wait for it`);
  await downloadPack(o, pack.id, pack.sha256 ?? '', out, o.force === true);
  print(pack, o.json, io, o.out);
  return EXIT.OK;
}

async function untilBuilt(o: ApiTarget, pack: PackView): Promise<PackView> {
  while (pack.status === 'queued' || pack.status === 'building') {
    await new Promise((done) => setTimeout(done, 250));
    pack = await callLedger<PackView>(o, 'GET', `v1/evidence-packs/${pack.id}`);
  }
  if (pack.status === 'failed') throw new CliError('INPUT_INVALID', `pack ${pack.id} failed: ${pack.error ?? 'unknown error'}`);
  return pack;
}

function print(pack: PackView, json: boolean | undefined, io: CommandIo, out?: string): void {
  if (json) io.out(`${JSON.stringify(pack)}\n`);
  else io.out(`${line(pack)}${out ? `\t${resolve(out)}` : ''}\n`);
}

// id, framework, status, then what the status says: the verdict counts, the progress or the reason.
function line(p: PackView): string {
  const s = p.summary;
  const detail =
    p.status === 'ready' && s
      ? `${s.satisfied} satisfied, ${s.notSatisfied} not satisfied, ${s.notTested} not tested, ${s.notApplicable} not applicable`
      : p.status === 'failed'
        ? (p.error ?? 'unknown error')
        : `${p.progress}%`;
  return `${p.id}\t${p.framework}\t${p.status}\t${detail}`;
}
