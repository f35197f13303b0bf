import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { integerParam, stringParam, timeParam } from '../http/query-params';
import { optionalChangeIdParam } from './forensics-params';
import { ForensicsRuntime } from './forensics-runtime';

// The approvals register: every human checkpoint decision, who made it, and whether they
// were independent of the change they decided on.
@ApiTags('forensics')
@ApiBearerAuth()
@Controller('v1/approvals')
export class ApprovalsController {
  constructor(private readonly forensics: ForensicsRuntime) {}

  @Get()
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Review decisions in log order, filtered, with cursor pagination' })
  @ApiQuery({ name: 'changeid', required: false })
  @ApiQuery({ name: 'approver', required: false })
  @ApiQuery({ name: 'checkpoint', required: false, description: 'design, security, test, merge, deploy' })
  @ApiQuery({ name: 'from', required: false, description: 'recordedAt at or after (RFC 3339; the recorded clock)' })
  @ApiQuery({ name: 'to', required: false, description: 'recordedAt before (RFC 3339; the recorded clock)' })
  @ApiQuery({ name: 'after', required: false, type: Number })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1–1000, default 100' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    const page = await this.forensics.reader.listApprovals(p.tenant, {
      changeId: optionalChangeIdParam(q.changeid, 'changeid'),
      approver: stringParam(q.approver, 'approver', 256),
      checkpoint: stringParam(q.checkpoint, 'checkpoint', 64),
      from: timeParam(q.from, 'from'),
      to: timeParam(q.to, 'to'),
      after: integerParam(q.after, 'after'),
      limit: integerParam(q.limit, 'limit', { min: 1, max: 1000 }) ?? 100,
    });
    return { approvals: page.items, next: page.next ?? null, projectedThrough: page.projectedThrough };
  }
}
