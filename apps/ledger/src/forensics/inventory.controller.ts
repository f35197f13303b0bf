import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { integerParam, stringParam } from '../http/query-params';
import { ForensicsRuntime } from './forensics-runtime';

// The AI inventory: every exact model version called, by team, with usage and cost.
@ApiTags('forensics')
@ApiBearerAuth()
@Controller('v1/inventory')
export class InventoryController {
  constructor(private readonly forensics: ForensicsRuntime) {}

  @Get('models')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Model inventory: provider / model / exact version per team — first and last seen, calls, tokens, cost' })
  @ApiQuery({ name: 'provider', required: false })
  @ApiQuery({ name: 'team', required: false })
  @ApiQuery({ name: 'after', required: false, type: Number })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1–1000, default 100' })
  async models(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    const page = await this.forensics.reader.listModels(p.tenant, {
      provider: stringParam(q.provider, 'provider', 256),
      team: stringParam(q.team, 'team', 256),
      after: integerParam(q.after, 'after'),
      limit: integerParam(q.limit, 'limit', { min: 1, max: 1000 }) ?? 100,
    });
    return { models: page.items, next: page.next ?? null, projectedThrough: page.projectedThrough };
  }
}
