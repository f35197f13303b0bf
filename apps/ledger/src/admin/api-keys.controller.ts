import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeysService } from '../auth/api-keys.service';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { ApiKeyView, toApiKeyView } from './api-key-view';
import { CreateApiKeyCommand } from './commands/create-api-key.command';
import { RevokeApiKeyCommand } from './commands/revoke-api-key.command';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(
    private readonly commands: CommandBus,
    private readonly keys: ApiKeysService,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create an API key in your tenant; the key is shown once' })
  async create(@CurrentPrincipal() p: Principal, @Body() body: CreateApiKeyDto): Promise<ApiKeyView & { key: string }> {
    const issued = await this.commands.execute(new CreateApiKeyCommand(p, body));
    return { ...toApiKeyView(issued.record), key: issued.key };
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: "List your tenant's API keys (never their secrets)" })
  async list(@CurrentPrincipal() p: Principal): Promise<{ keys: ApiKeyView[] }> {
    return { keys: (await this.keys.list(p.tenant)).map(toApiKeyView) };
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke an API key of your tenant' })
  async revoke(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    await this.commands.execute(new RevokeApiKeyCommand(p, id));
  }
}
