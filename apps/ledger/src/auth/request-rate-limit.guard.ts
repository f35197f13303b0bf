import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthenticatedRequest } from './api-key.guard';
import { RateLimits } from './rate-limits';

// Rate limits per API key (not per IP: many producers sit behind one NAT, and one key
// should not exhaust a tenant's neighbours). Unauthenticated routes are limited per IP.
// Runs after ApiKeyGuard and before the body is read, so a refused request costs no buffering.
@Injectable()
export class RequestRateLimitGuard implements CanActivate {
  constructor(private readonly limits: RateLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    await this.limits.admit(request.principal ? `key:${request.principal.keyId}` : `ip:${String(request.ip)}`);
    return true;
  }
}
