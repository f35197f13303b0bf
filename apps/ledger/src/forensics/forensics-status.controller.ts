import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FORENSICS_PROJECTION } from '@evidence-ledger/forensics';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { LedgerRuntime } from '../runtime/ledger-runtime';
import { ForensicsRuntime } from './forensics-runtime';

/** Where one tenant's forensics tables are in its log. */
export interface ForensicsStatus {
  readonly name: string;
  readonly position: number;
  readonly treeSize: number;
  readonly lag: number;
}

// How far the caller's forensics tables are behind its log: `GET /v1/forensics/status`.
// `GET /v1/projections` is the route's first name, kept (undocumented) for clients that read it.
@ApiTags('forensics')
@ApiBearerAuth()
@Controller('v1')
export class ForensicsStatusController {
  constructor(
    private readonly forensics: ForensicsRuntime,
    private readonly runtime: LedgerRuntime,
  ) {}

  @Get('forensics/status')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: "How far the tenant's forensics tables are through its log, and their lag" })
  async status(@CurrentPrincipal() p: Principal): Promise<{ forensics: ForensicsStatus[] }> {
    return { forensics: await this.tables(p.tenant) };
  }

  @Get('projections')
  @Roles('auditor', 'admin')
  @ApiExcludeEndpoint()
  async formerStatus(@CurrentPrincipal() p: Principal): Promise<{ projections: ForensicsStatus[] }> {
    return { projections: await this.tables(p.tenant) };
  }

  private async tables(tenant: string): Promise<ForensicsStatus[]> {
    const [position, head] = await Promise.all([this.forensics.reader.projectedThrough(tenant), this.runtime.store.head(tenant)]);
    return [{ name: FORENSICS_PROJECTION, position, treeSize: head.treeSize, lag: Math.max(0, head.treeSize - position) }];
  }
}
