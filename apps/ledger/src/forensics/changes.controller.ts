import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { parseAsOf } from '@evidence-ledger/core';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { HttpProblem } from '../http/http-problem';
import { integerParam, stringParam, timeParam } from '../http/query-params';
import { booleanParam, changeIdParam, statusParam } from './forensics-params';
import { ForensicsRuntime } from './forensics-runtime';

const CHANGE_ID = { name: 'changeId', description: 'the change id, URL-encoded (github.com%2Facme%2Fpay%23482)' };

// Investigators' view of changes: the list, one change's timeline with a proof for every
// step, and its replay as of any point. Served from the forensics tables (see `projectedThrough`).
@ApiTags('forensics')
@ApiBearerAuth()
@Controller('v1/changes')
export class ChangesController {
  constructor(private readonly forensics: ForensicsRuntime) {}

  @Get()
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Changes in order of first appearance, filtered, with cursor pagination (pass `next` as `after`)' })
  @ApiQuery({ name: 'repo', required: false })
  @ApiQuery({ name: 'status', required: false, description: 'opened, agent_work, policy, scans, reviews, merged, deployed, rolled_back' })
  @ApiQuery({ name: 'team', required: false })
  @ApiQuery({ name: 'hasException', required: false, type: Boolean })
  @ApiQuery({ name: 'from', required: false, description: 'active at or after (RFC 3339, recorded clock: recordedAt)' })
  @ApiQuery({ name: 'to', required: false, description: 'active before (RFC 3339, recorded clock: recordedAt)' })
  @ApiQuery({ name: 'after', required: false, type: Number })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1–1000, default 100' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    const page = await this.forensics.reader.listChanges(p.tenant, {
      repository: stringParam(q.repo, 'repo', 512),
      status: statusParam(q.status),
      team: stringParam(q.team, 'team', 256),
      hasException: booleanParam(q.hasException, 'hasException'),
      from: timeParam(q.from, 'from'),
      to: timeParam(q.to, 'to'),
      after: integerParam(q.after, 'after'),
      limit: integerParam(q.limit, 'limit', { min: 1, max: 1000 }) ?? 100,
    });
    return { changes: page.items, next: page.next ?? null, projectedThrough: page.projectedThrough };
  }

  @Get(':changeId/timeline')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: "A change's timeline: every step in order, its derived state, its exceptions, and a proof for every step" })
  @ApiParam(CHANGE_ID)
  @ApiQuery({ name: 'proofs', required: false, type: Boolean, description: 'include entry bytes and inclusion proofs (default true)' })
  @ApiQuery({ name: 'after', required: false, type: Number, description: 'cursor: only steps with a greater sequence' })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1–1000, default 1000' })
  async timeline(@CurrentPrincipal() p: Principal, @Param('changeId') changeId: string, @Query() q: Record<string, unknown>) {
    const view = await this.forensics.reader.timeline(p.tenant, changeIdParam(changeId), {
      after: integerParam(q.after, 'after'),
      limit: integerParam(q.limit, 'limit', { min: 1, max: 1000 }) ?? 1000,
      proofs: booleanParam(q.proofs, 'proofs') ?? true,
    });
    return { ...view, next: view.next ?? null };
  }

  @Get(':changeId/replay')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary: 'The state of a change as of a sequence or an instant, with exactly the steps up to that point and their proofs',
  })
  @ApiParam(CHANGE_ID)
  @ApiQuery({
    name: 'asOf',
    required: false,
    description:
      "a sequence (state right after that entry), or a time on a named clock: recorded:<RFC 3339> (recordedAt, the ledger's clock, proven by the log) or occurred:<RFC 3339> (time, the producer's clock); a bare RFC 3339 time is on the recorded clock, and the answer's asOf names the clock; default: now",
  })
  @ApiQuery({ name: 'proofs', required: false, type: Boolean, description: 'include entry bytes and inclusion proofs (default true)' })
  async replay(@CurrentPrincipal() p: Principal, @Param('changeId') changeId: string, @Query() q: Record<string, unknown>) {
    const id = changeIdParam(changeId);
    const text = stringParam(q.asOf, 'asOf', 64);
    let asOf;
    try {
      asOf = text === undefined ? undefined : parseAsOf(text);
    } catch (e) {
      throw new HttpProblem(400, 'INVALID_QUERY', (e as Error).message, [{ path: 'asOf', message: (e as Error).message }]);
    }
    return this.forensics.reader.replay(p.tenant, id, asOf, { proofs: booleanParam(q.proofs, 'proofs') ?? true });
  }
}
