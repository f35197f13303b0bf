import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PackJobStatus } from '@evidence-ledger/store';
import type { Response } from 'express';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { HttpProblem } from '../http/http-problem';
import { integerParam, stringParam } from '../http/query-params';
import { EvidencePacksRuntime, PackJob } from './evidence-packs-runtime';
import { parsePackRequest } from './pack-request';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STATUSES: readonly PackJobStatus[] = ['queued', 'building', 'ready', 'failed'];

// Auditors order a pack for a framework and a period, poll it, find it again in the list,
// and download the zip they verify offline (docs/evidence-packs.md). The tenant is the
// caller's key's, never the body's.
@ApiTags('evidence-packs')
@ApiBearerAuth()
@Controller('v1/evidence-packs')
export class EvidencePacksController {
  constructor(private readonly packs: EvidencePacksRuntime) {}

  @Post()
  @HttpCode(202)
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Start building an evidence pack: {framework, from, to, scope?} → 202 with its id' })
  async create(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const job = await this.packs.submit(parsePackRequest(body, p.tenant, this.packs.templates));
    res.setHeader('Location', `/v1/evidence-packs/${job.id}`);
    return toPackResponse(job);
  }

  @Get()
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: "The tenant's packs in the order they were ordered, filtered, with cursor pagination (pass `next` as `after`)" })
  @ApiQuery({ name: 'framework', required: false })
  @ApiQuery({ name: 'status', required: false, description: 'queued, building, ready or failed' })
  @ApiQuery({ name: 'after', required: false, description: 'cursor: only packs ordered after this pack id' })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1–1000, default 100' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    const framework = stringParam(q.framework, 'framework', 64);
    const status = stringParam(q.status, 'status', 16);
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status))
      throw invalidQuery('status', `must be one of ${STATUSES.join(', ')}`);
    const after = stringParam(q.after, 'after', 36);
    if (after !== undefined && !UUID.test(after)) throw invalidQuery('after', 'must be a pack id (the `next` of the previous page)');
    const page = await this.packs.list(p.tenant, {
      ...(framework !== undefined ? { framework } : {}),
      ...(status !== undefined ? { status: status as PackJobStatus } : {}),
      ...(after !== undefined ? { after } : {}),
      limit: integerParam(q.limit, 'limit', { min: 1, max: 1000 }) ?? 100,
    });
    return { packs: page.packs.map(toPackResponse), next: page.next ?? null };
  }

  @Get(':id')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: "A pack's status and progress" })
  async get(@CurrentPrincipal() p: Principal, @Param('id') id: string) {
    return toPackResponse(await this.find(p, id));
  }

  @Get(':id/download')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'The pack zip (application/zip), once ready' })
  async download(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const job = await this.find(p, id);
    if (job.status !== 'ready')
      throw new HttpProblem(409, 'PACK_NOT_READY', `pack ${id} is ${job.status}; poll GET /v1/evidence-packs/${id}`);
    const { body, size } = await this.packs.download(job);
    res.status(200);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Length', String(size));
    res.setHeader('Content-Disposition', `attachment; filename="evidence-pack-${job.framework}-${job.id}.zip"`);
    body.on('error', (e) => res.destroy(e));
    body.pipe(res);
  }

  private async find(p: Principal, id: string): Promise<PackJob> {
    const job = UUID.test(id) ? await this.packs.find(p.tenant, id) : undefined;
    if (!job) throw new HttpProblem(404, 'NOT_FOUND', `no evidence pack ${id}`);
    return job;
  }
}

function invalidQuery(name: string, message: string): HttpProblem {
  return new HttpProblem(400, 'INVALID_QUERY', `query parameter "${name}" ${message}`, [{ path: name, message }]);
}

export function toPackResponse(job: PackJob) {
  return {
    id: job.id,
    framework: job.framework,
    from: job.from,
    to: job.to,
    scope: job.scope,
    status: job.status,
    progress: job.progress,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    ...(job.error ? { error: job.error } : {}),
    ...(job.checkpoint ? { checkpoint: job.checkpoint } : {}),
    ...(job.summary ? { summary: job.summary } : {}),
    ...(job.sha256
      ? { sha256: job.sha256, size: job.size, locked: job.locked === true, ...(job.retainUntil ? { retainUntil: job.retainUntil } : {}) }
      : {}),
    ...(job.status === 'ready' ? { download: `/v1/evidence-packs/${job.id}/download` } : {}),
  };
}
