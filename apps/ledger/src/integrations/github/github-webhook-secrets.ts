import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { LedgerError, TENANT_NAME } from '@evidence-ledger/core';
import { WebhookSecretRecord } from '@evidence-ledger/store';
import { LedgerRuntime } from '../../runtime/ledger-runtime';

/** Prefix of a generated secret, so secret scanners can recognize one that leaked. */
export const GENERATED_SECRET_PREFIX = 'elw_';

/**
 * Each tenant's GitHub webhook secret, in the credential store. Stored in plaintext (an HMAC
 * cannot be checked against a digest of its key) and never returned after it was set. Read on
 * every delivery, uncached: a rotation takes effect on the next one.
 */
@Injectable()
export class GithubWebhookSecrets {
  constructor(private readonly runtime: LedgerRuntime) {}

  async secretOf(tenant: string | undefined): Promise<string | undefined> {
    if (tenant === undefined || !TENANT_NAME.test(tenant)) return undefined;
    return (await this.runtime.store.findWebhookSecret(tenant, 'github'))?.secret;
  }

  // Sets or rotates the secret; a generated one is 32 random bytes, base64url.
  async set(tenant: string, secret: string | undefined, by: string): Promise<WebhookSecretRecord> {
    const record: WebhookSecretRecord = {
      tenant,
      provider: 'github',
      secret: secret ?? `${GENERATED_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`,
      updatedAt: new Date().toISOString(),
      updatedBy: by,
    };
    await this.runtime.store.putWebhookSecret(record);
    return record;
  }

  async status(tenant: string): Promise<WebhookSecretRecord> {
    const record = await this.runtime.store.findWebhookSecret(tenant, 'github');
    if (!record) throw noSecret();
    return record;
  }

  async remove(tenant: string): Promise<void> {
    if (!(await this.runtime.store.deleteWebhookSecret(tenant, 'github'))) throw noSecret();
  }
}

function noSecret(): LedgerError {
  return new LedgerError('NOT_FOUND', 'this tenant has no GitHub webhook secret; set one with PUT /v1/integrations/github/secret');
}
