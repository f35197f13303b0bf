import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { CliContext, CommandIo } from '../command-io';
import { CliError } from '../cli-error';
import { EXIT, ExitCode } from '../exit-codes';
import { ApiTarget, callLedger } from '../ledger-api-client';

interface PackView {
  id: string;
  framework: string;
  status: 'queued' | 'building' | 'ready' | 'failed';
  progress: number;
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
  wait?: boolean;
  json?: boolean;
}

// Evidence packs are built by the service (auditor or admin key); `--wait` polls until the
// pack is ready and `--out` downloads it, ready for `evidence-ledger verify`.
export function registerPack(program: Command, { io, action }: CliContext): void {
  const group = program.command('pack').description('order and download evidence packs through the service (auditor key)');
  group
    .command('create')
    .summary('build an evidence pack for a framework and a period')
    .addOption(new Option('--url <url>', 'the ledger service').env('LEDGER_URL').default('http://localhost:3000'))
    .addOption(new Option('--api-key <key>', 'an auditor or admin API key of your tenant').env('LEDGER_API_KEY').makeOptionMandatory())
    .requiredOption('--framework <id>', 'soc2, iso27001, hipaa, eu-ai-act or a custom template')
    .requiredOption('--from <time>', 'start of the period, RFC 3339 (inclusive)')
    .requiredOption('--to <time>', 'end of the period, RFC 3339 (exclusive)')
    .option('--scope <repository...>', 'limit the pack to these repositories')
    .option('--out <file>', 'download the pack to this file (implies --wait)')
    .option('--wait', 'wait until the pack is built')
    .option('--json', 'print the pack status as JSON')
    .action(action((o: CreateOptions) => createPack(o, io)));
}

async function createPack(o: CreateOptions, io: CommandIo): Promise<ExitCode> {
  const body = { framework: o.framework, from: o.from, to: o.to, ...(o.scope?.length ? { scope: { repositories: o.scope } } : {}) };
  let pack = await callLedger<PackView>(o, 'POST', 'v1/evidence-packs', body);
  if (!o.json) io.err(`pack ${pack.id} ${pack.status}\n`);
  if (o.wait || o.out) {
    while (pack.status === 'queued' || pack.status === 'building') {
      await new Promise((done) => setTimeout(done, 250));
      pack = await callLedger<PackView>(o, 'GET', `v1/evidence-packs/${pack.id}`);
    }
    if (pack.status === 'failed') throw new CliError('INPUT_INVALID', `pack ${pack.id} failed: ${pack.error ?? 'unknown error'}`);
    if (o.out) await download(o, pack.id, resolve(o.out));
  }
  if (o.json) io.out(`${JSON.stringify(pack)}\n`);
  else {
    const s = pack.summary;
    io.out(
      `${pack.id}\t${pack.framework}\t${pack.status}${s ? `\t${s.satisfied} satisfied, ${s.notSatisfied} not satisfied, ${s.notTested} not tested, ${s.notApplicable} not applicable` : ''}${o.out ? `\t${resolve(o.out)}` : ''}\n`,
    );
  }
  return EXIT.OK;
}

async function download(o: ApiTarget, id: string, file: string): Promise<void> {
  const url = new URL(`v1/evidence-packs/${id}/download`, o.url.endsWith('/') ? o.url : `${o.url}/`);
  const res = await fetch(url, { headers: { authorization: `Bearer ${o.apiKey}` }, signal: AbortSignal.timeout(300_000) });
  if (!res.ok) throw new CliError('INPUT_INVALID', `downloading pack ${id}: HTTP ${res.status}`);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
}
