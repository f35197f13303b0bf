import { ApiKeyRecord, CredentialStore, TenantRecord, WebhookProvider, WebhookSecretRecord } from './credential-store';

/**
 * Lets a store class serve the CredentialStore port from a credential store sharing its
 * connection: each adapter supplies `credentials`, and the forwarding is written once here.
 */
export abstract class CredentialStoreDelegate implements CredentialStore {
  protected abstract readonly credentials: CredentialStore;

  createTenant(name: string): Promise<boolean> {
    return this.credentials.createTenant(name);
  }

  tenantExists(name: string): Promise<boolean> {
    return this.credentials.tenantExists(name);
  }

  listTenants(): Promise<TenantRecord[]> {
    return this.credentials.listTenants();
  }

  insertApiKey(record: Omit<ApiKeyRecord, 'revokedAt'>): Promise<void> {
    return this.credentials.insertApiKey(record);
  }

  findApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    return this.credentials.findApiKey(id);
  }

  listApiKeys(tenant: string): Promise<ApiKeyRecord[]> {
    return this.credentials.listApiKeys(tenant);
  }

  revokeApiKey(tenant: string, id: string, at: string): Promise<boolean> {
    return this.credentials.revokeApiKey(tenant, id, at);
  }

  countApiKeys(): Promise<number> {
    return this.credentials.countApiKeys();
  }

  putWebhookSecret(record: WebhookSecretRecord): Promise<void> {
    return this.credentials.putWebhookSecret(record);
  }

  findWebhookSecret(tenant: string, provider: WebhookProvider): Promise<WebhookSecretRecord | undefined> {
    return this.credentials.findWebhookSecret(tenant, provider);
  }

  deleteWebhookSecret(tenant: string, provider: WebhookProvider): Promise<boolean> {
    return this.credentials.deleteWebhookSecret(tenant, provider);
  }
}
