import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FORENSICS_PROJECTION } from '@evidence-ledger/forensics';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { LedgerRuntime } from '../runtime/ledger-runtime';
import { ForensicsRuntime } from './forensics-runtime';

// How far the caller's forensics tables are behind its log. The route and its `projections`
// list keep their first names: clients read them.
@ApiTags('forensics')
@ApiBearerAuth()
@Controller('v1/projections')
export class ForensicsStatusController {
  constructor(
    private readonly forensics: ForensicsRuntime,
    private readonly runtime: LedgerRuntime,
  ) {}

  @Get()
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: "How far the tenant's forensics tables are through its log, and their lag" })
  async status(@CurrentPrincipal() p: Principal) {
    const [position, head] = await Promise.all([this.forensics.reader.projectedThrough(p.tenant), this.runtime.store.head(p.tenant)]);
    return { projections: [{ name: FORENSICS_PROJECTION, position, treeSize: head.treeSize, lag: Math.max(0, head.treeSize - position) }] };
  }
}
