import { ApiKeyRecord, CredentialStore, TenantRecord, WebhookProvider, WebhookSecretRecord } from '../credential-store';
import { API_KEY_COLUMNS, ApiKeyRow, toApiKeyRecord } from '../api-key-row';
import { checkedApiKey, checkedWebhookProvider, checkedWebhookSecret, instantText } from '../credential-rules';
import { SerialQueue } from '../serial-queue';
import { StoreError } from '../store-error';
import { toWebhookSecretRecord, WEBHOOK_SECRET_COLUMNS, WebhookSecretRow } from '../webhook-secret-row';
import { StatementCache } from './statement-cache';

/**
 * Tenants and API keys (tables of migration 2) and webhook secrets (migration 3) in the ledger's SQLite file. Writes take the
 * connection's queue: an append session may hold an open transaction on this connection, and
 * a statement run meanwhile would join it (and share its rollback).
 */
export class SqliteCredentialStore implements CredentialStore {
  // `sql` is shared with the ledger store on the same connection; findApiKey runs on every
  // authenticated request, so each statement is parsed once.
  constructor(
    private readonly sql: StatementCache,
    private readonly writes: SerialQueue,
  ) {}

  async createTenant(name: string): Promise<boolean> {
    return this.write('creating a tenant', () => {
      const sql = 'INSERT INTO tenants (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING';
      return this.sql.get(sql).run(name, new Date().toISOString()).changes === 1;
    });
  }

  async tenantExists(name: string): Promise<boolean> {
    return this.sql.guard('reading tenants', () => this.sql.get('SELECT 1 FROM tenants WHERE name = ?').get(name) !== undefined);
  }

  async listTenants(): Promise<TenantRecord[]> {
    const rows = this.sql.guard(
      'listing tenants',
      () => this.sql.get('SELECT name, created_at FROM tenants ORDER BY name').all() as { name: string; created_at: string }[],
    );
    return rows.map((r) => ({ name: r.name, createdAt: r.created_at }));
  }

  async insertApiKey(record: Omit<ApiKeyRecord, 'revokedAt'>): Promise<void> {
    const k = checkedApiKey(record);
    return this.write(`storing API key ${k.id}`, () => {
      try {
        this.sql
          .get(`INSERT INTO api_keys (${API_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`)
          .run(k.id, k.tenant, k.name, k.role, k.sourcePrefix ?? null, k.secretHash, k.createdAt, k.createdBy ?? null);
      } catch (e) {
        if ((e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
          throw new StoreError('NOT_FOUND', `no tenant ${JSON.stringify(k.tenant)} to hold API key ${k.id}`, {
            cause: e,
            details: { tenant: k.tenant },
          });
        }
        throw e;
      }
    });
  }

  async findApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const r = this.sql.guard(
      'reading an API key',
      () => this.sql.get(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = ?`).get(id) as ApiKeyRow | undefined,
    );
    return r && toApiKeyRecord(r);
  }

  async listApiKeys(tenant: string): Promise<ApiKeyRecord[]> {
    const sql = `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE tenant = ? ORDER BY created_at, id`;
    return this.sql.guard('listing API keys', () => this.sql.get(sql).all(tenant) as ApiKeyRow[]).map(toApiKeyRecord);
  }

  async revokeApiKey(tenant: string, id: string, at: string): Promise<boolean> {
    const revokedAt = instantText(at, 'at');
    return this.write(`revoking API key ${id}`, () => {
      const sql = 'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE tenant = ? AND id = ?';
      return this.sql.get(sql).run(revokedAt, tenant, id).changes === 1;
    });
  }

  async countApiKeys(): Promise<number> {
    return this.sql.guard('counting API keys', () => (this.sql.get('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n);
  }

  async putWebhookSecret(record: WebhookSecretRecord): Promise<void> {
    const w = checkedWebhookSecret(record);
    return this.write(`storing the ${w.provider} webhook secret`, () => {
      const sql =
        `INSERT INTO webhook_secrets (${WEBHOOK_SECRET_COLUMNS}) VALUES (?, ?, ?, ?, ?) ` +
        'ON CONFLICT (tenant, provider) DO UPDATE SET secret = excluded.secret, updated_at = excluded.updated_at, updated_by = excluded.updated_by';
      try {
        this.sql.get(sql).run(w.tenant, w.provider, w.secret, w.updatedAt, w.updatedBy ?? null);
      } catch (e) {
        if ((e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
          throw new StoreError('NOT_FOUND', `no tenant ${JSON.stringify(w.tenant)} to hold a webhook secret`, {
            cause: e,
            details: { tenant: w.tenant },
          });
        }
        throw e;
      }
    });
  }

  async findWebhookSecret(tenant: string, provider: WebhookProvider): Promise<WebhookSecretRecord | undefined> {
    const sql = `SELECT ${WEBHOOK_SECRET_COLUMNS} FROM webhook_secrets WHERE tenant = ? AND provider = ?`;
    const r = this.sql.guard('reading a webhook secret', () => this.sql.get(sql).get(tenant, provider) as WebhookSecretRow | undefined);
    return r && toWebhookSecretRecord(r);
  }

  async deleteWebhookSecret(tenant: string, provider: WebhookProvider): Promise<boolean> {
    checkedWebhookProvider(provider);
    return this.write(`removing the ${provider} webhook secret`, () => {
      return this.sql.get('DELETE FROM webhook_secrets WHERE tenant = ? AND provider = ?').run(tenant, provider).changes === 1;
    });
  }

  private write<T>(doing: string, fn: () => T): Promise<T> {
    return this.writes.run(async () => this.sql.guard(doing, fn));
  }
}
