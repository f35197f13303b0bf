import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { ApiKeyRequest, digestApiKey, IssuedApiKey, issueApiKey } from '@evidence-ledger/ledger';
import { ApiKeyRecord } from '@evidence-ledger/store';
import { LedgerRuntime } from '../runtime/ledger-runtime';
import { Principal } from './principal';

const CACHE_TTL_MS = 5_000;

/**
 * API keys: issued (shown once, stored as a SHA-256 digest), resolved to a principal on
 * every request, revoked. Lookups are cached for a few seconds to keep the per-request cost
 * off the database; a revocation clears this instance's cache at once, others within 5 s.
 */
@Injectable()
export class ApiKeysService {
  private readonly cache = new Map<string, { principal: Principal | undefined; until: number }>();

  constructor(private readonly runtime: LedgerRuntime) {}

  issue(request: ApiKeyRequest): Promise<IssuedApiKey> {
    return issueApiKey(this.runtime.store, request);
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    const { id, secretHash } = digestApiKey(key);
    const cacheKey = secretHash.toString('base64'); // never keep the key itself around
    const cached = this.cache.get(cacheKey);
    if (cached && cached.until > Date.now()) return cached.principal;
    const record = await this.runtime.store.findApiKey(id);
    const valid =
      record !== undefined &&
      !record.revokedAt &&
      record.secretHash.length === secretHash.length &&
      timingSafeEqual(record.secretHash, secretHash);
    const principal: Principal | undefined = valid
      ? { keyId: record.id, tenant: record.tenant, role: record.role, sourcePrefix: record.sourcePrefix }
      : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(cacheKey, { principal, until: Date.now() + CACHE_TTL_MS });
    return principal;
  }

  async list(tenant: string): Promise<ApiKeyRecord[]> {
    return this.runtime.store.listApiKeys(tenant);
  }

  async revoke(tenant: string, id: string): Promise<boolean> {
    const revoked = await this.runtime.store.revokeApiKey(tenant, id, new Date().toISOString());
    if (revoked) this.cache.clear();
    return revoked;
  }
}
