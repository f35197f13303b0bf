import { WebhookProvider, WebhookSecretRecord } from './credential-store';

/** A `webhook_secrets` row as both adapters read it; the time as RFC 3339 text or as a Date. */
export interface WebhookSecretRow {
  tenant: string;
  provider: WebhookProvider;
  secret: string;
  updated_at: string | Date;
  updated_by: string | null;
}

export const WEBHOOK_SECRET_COLUMNS = 'tenant, provider, secret, updated_at, updated_by';

export const toWebhookSecretRecord = (r: WebhookSecretRow): WebhookSecretRecord => ({
  tenant: r.tenant,
  provider: r.provider,
  secret: r.secret,
  updatedAt: typeof r.updated_at === 'string' ? r.updated_at : r.updated_at.toISOString(),
  ...(r.updated_by !== null && { updatedBy: r.updated_by }),
});
