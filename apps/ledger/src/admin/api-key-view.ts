import { ApiKeyRecord } from '@evidence-ledger/store';

/** An API key as listed: everything but its secret, which is never stored. */
export interface ApiKeyView {
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  readonly role: string;
  readonly sourcePrefix: string | null;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly revokedAt: string | null;
}

export function toApiKeyView(r: ApiKeyRecord): ApiKeyView {
  return {
    id: r.id,
    tenant: r.tenant,
    name: r.name,
    role: r.role,
    sourcePrefix: r.sourcePrefix ?? null,
    createdAt: r.createdAt,
    createdBy: r.createdBy ?? null,
    revokedAt: r.revokedAt ?? null,
  };
}
