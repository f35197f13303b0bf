import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { HttpProblem } from '../http/http-problem';
import { ApiKeysService } from './api-keys.service';
import { Principal, Role } from './principal';
import { RateLimits } from './rate-limits';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';

export type AuthenticatedRequest = Request & { principal?: Principal };

// Resolves `Authorization: Bearer <key>` to a principal and enforces the route's roles.
// Deny by default: a route that names no roles and is not public refuses everyone. Runs
// before the body is read; an address that keeps presenting invalid keys is refused (429)
// before its keys are even looked up.
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new HttpProblem(401, 'UNAUTHENTICATED', 'send an API key as "Authorization: Bearer <key>"');
    const address = String(request.ip);
    await this.limits.assertMayAuthenticate(address);
    const principal = match[1].length <= 512 ? await this.keys.authenticate(match[1]) : undefined;
    if (!principal) {
      await this.limits.recordAuthFailure(address);
      throw new HttpProblem(401, 'UNAUTHENTICATED', 'the API key is not valid or has been revoked');
    }
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (!roles.includes(principal.role)) {
      throw new HttpProblem(
        403,
        'FORBIDDEN',
        `a ${principal.role} key may not call this endpoint (needs: ${roles.join(' or ') || 'none'})`,
      );
    }
    return true;
  }
}
