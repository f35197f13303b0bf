import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/principal.decorator';
import { Principal } from '../../auth/principal';
import { Roles } from '../../auth/roles.decorator';
import { SetGithubSecretDto } from './dto/set-github-secret.dto';
import { GithubWebhookSecrets } from './github-webhook-secrets';

/** A tenant's GitHub webhook secret as listed: never the secret itself. */
export interface GithubSecretView {
  readonly provider: 'github';
  readonly tenant: string;
  readonly updatedAt: string;
  readonly updatedBy: string | null;
  /** Where to point the webhook (path and query; prefix the ledger's public URL). */
  readonly webhookPath: string;
}

@ApiTags('integrations')
@ApiBearerAuth()
@Controller('v1/integrations/github/secret')
export class GithubSecretController {
  constructor(private readonly secrets: GithubWebhookSecrets) {}

  @Put()
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: "Set or rotate your tenant's GitHub webhook secret; the answer shows it once" })
  @ApiBody({ type: SetGithubSecretDto, required: false })
  async set(@CurrentPrincipal() p: Principal, @Body() body: SetGithubSecretDto): Promise<GithubSecretView & { secret: string }> {
    const record = await this.secrets.set(p.tenant, body.secret, p.keyId);
    return { ...view(record), secret: record.secret };
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Whether your tenant has a GitHub webhook secret, and since when (never the secret)' })
  async get(@CurrentPrincipal() p: Principal): Promise<GithubSecretView> {
    return view(await this.secrets.status(p.tenant));
  }

  @Delete()
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: "Remove your tenant's GitHub webhook secret: every delivery is refused until a new one is set" })
  async remove(@CurrentPrincipal() p: Principal): Promise<void> {
    await this.secrets.remove(p.tenant);
  }
}

function view(r: { tenant: string; updatedAt: string; updatedBy?: string }): GithubSecretView {
  return {
    provider: 'github',
    tenant: r.tenant,
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy ?? null,
    webhookPath: `/v1/ingest/github?tenant=${encodeURIComponent(r.tenant)}`,
  };
}
