import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './api-key.guard';

// Rate limits per API key (not per IP: many producers sit behind one NAT, and one key
// should not exhaust a tenant's neighbours). Unauthenticated routes are limited per IP.
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = (req as unknown as AuthenticatedRequest).principal;
    return principal ? `key:${principal.keyId}` : `ip:${String(req.ip)}`;
  }
}
