import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { integerParam, stringParam, timeParam } from '../http/query-params';
import { booleanParam, optionalChangeIdParam, ruleParam } from './forensics-params';
import { ForensicsRuntime } from './forensics-runtime';

// Compliance's feed: every control exception in the order it happened, each pointing at the
// entry that proves it and carrying management's latest response. Poll with `after` = the last
// `next` to see new ones as they happen.
@ApiTags('forensics')
@ApiBearerAuth()
@Controller('v1/exceptions')
export class ExceptionsController {
  constructor(private readonly forensics: ForensicsRuntime) {}

  @Get()
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary:
      "Control exceptions in the order they happened, filtered, with cursor pagination; each with management's latest response (`response`), when one was recorded",
  })
  @ApiQuery({ name: 'rule', required: false })
  @ApiQuery({ name: 'changeid', required: false })
  @ApiQuery({ name: 'repo', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'recordedAt at or after (RFC 3339; the recorded clock)' })
  @ApiQuery({ name: 'to', required: false, description: 'recordedAt before (RFC 3339; the recorded clock)' })
  @ApiQuery({ name: 'after', required: false, type: Number, description: 'cursor: only exceptions numbered higher' })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1–1000, default 100' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    const page = await this.forensics.reader.listExceptions(p.tenant, {
      rule: ruleParam(q.rule),
      changeId: optionalChangeIdParam(q.changeid, 'changeid'),
      repository: stringParam(q.repo, 'repo', 512),
      from: timeParam(q.from, 'from'),
      to: timeParam(q.to, 'to'),
      after: integerParam(q.after, 'after'),
      limit: integerParam(q.limit, 'limit', { min: 1, max: 1000 }) ?? 100,
    });
    return { exceptions: page.items, next: page.next ?? null, projectedThrough: page.projectedThrough };
  }

  @Get('responses')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary:
      'Management responses (exception.response.recorded) in the order they were recorded; matched=false lists those naming an exception that does not exist',
  })
  @ApiQuery({ name: 'matched', required: false, description: 'true: responses to an existing exception; false: unmatched responses' })
  @ApiQuery({ name: 'eventid', required: false, description: 'the id of the entry the exception was raised on' })
  @ApiQuery({ name: 'after', required: false, type: Number, description: 'cursor: only responses recorded at a higher sequence' })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1–1000, default 100' })
  async responses(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    const page = await this.forensics.reader.listResponses(p.tenant, {
      matched: booleanParam(q.matched, 'matched'),
      eventId: stringParam(q.eventid, 'eventid', 36),
      after: integerParam(q.after, 'after'),
      limit: integerParam(q.limit, 'limit', { min: 1, max: 1000 }) ?? 100,
    });
    return { responses: page.items, next: page.next ?? null, projectedThrough: page.projectedThrough };
  }
}
