import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { integerParam, stringParam } from '../http/query-params';
import { ForensicsRuntime } from './forensics-runtime';

const filter = (q: Record<string, unknown>) => ({
  team: stringParam(q.team, 'team', 256),
  after: integerParam(q.after, 'after'),
  limit: integerParam(q.limit, 'limit', { min: 1, max: 1000 }) ?? 100,
});

// AI spend by team and month, and the budget thresholds teams crossed.
@ApiTags('forensics')
@ApiBearerAuth()
@Controller('v1/spend')
export class SpendController {
  constructor(private readonly forensics: ForensicsRuntime) {}

  @Get()
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Model spend per team and calendar month (UTC)' })
  @ApiQuery({ name: 'team', required: false })
  @ApiQuery({ name: 'after', required: false, type: Number })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1–1000, default 100' })
  async spend(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    const page = await this.forensics.reader.listSpend(p.tenant, filter(q));
    return { spend: page.items, next: page.next ?? null, projectedThrough: page.projectedThrough };
  }

  @Get('budget-alerts')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Budget thresholds crossed, in log order' })
  @ApiQuery({ name: 'team', required: false })
  @ApiQuery({ name: 'after', required: false, type: Number })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1–1000, default 100' })
  async alerts(@CurrentPrincipal() p: Principal, @Query() q: Record<string, unknown>) {
    const page = await this.forensics.reader.listBudgetAlerts(p.tenant, filter(q));
    return { budgetAlerts: page.items, next: page.next ?? null, projectedThrough: page.projectedThrough };
  }
}
