import { ApiKeyRecord, Role } from './credential-store';

/** An `api_keys` row as both adapters read it; times as RFC 3339 text or as a Date. */
export interface ApiKeyRow {
  id: string;
  tenant: string;
  name: string;
  role: Role;
  source_prefix: string | null;
  secret_hash: Buffer;
  created_at: string | Date;
  revoked_at: string | Date | null;
  created_by: string | null;
}

export const API_KEY_COLUMNS = 'id, tenant, name, role, source_prefix, secret_hash, created_at, revoked_at, created_by';

const instant = (t: string | Date): string => (typeof t === 'string' ? t : t.toISOString());

export const toApiKeyRecord = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id,
  tenant: r.tenant,
  name: r.name,
  role: r.role,
  ...(r.source_prefix !== null && { sourcePrefix: r.source_prefix }),
  secretHash: r.secret_hash,
  createdAt: instant(r.created_at),
  ...(r.revoked_at !== null && { revokedAt: instant(r.revoked_at) }),
  ...(r.created_by !== null && { createdBy: r.created_by }),
});
