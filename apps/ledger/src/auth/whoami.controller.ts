import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from './principal.decorator';
import { Principal } from './principal';
import { Roles } from './roles.decorator';

/** Who a key is: what a client (the console) needs to decide what to offer before it asks. */
export interface WhoAmI {
  readonly tenant: string;
  readonly role: Principal['role'];
  readonly keyId: string;
}

@ApiTags('keys')
@ApiBearerAuth()
@Controller('v1')
export class WhoAmIController {
  @Get('whoami')
  @Roles('producer', 'auditor', 'admin')
  @ApiOperation({ summary: "The calling key's tenant, role and key id" })
  whoami(@CurrentPrincipal() p: Principal): WhoAmI {
    return { tenant: p.tenant, role: p.role, keyId: p.keyId };
  }
}
