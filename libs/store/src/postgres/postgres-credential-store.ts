import { Pool, QueryResultRow } from 'pg';
import { ApiKeyRecord, CredentialStore, TenantRecord, WebhookProvider, WebhookSecretRecord } from '../credential-store';
import { API_KEY_COLUMNS, ApiKeyRow, toApiKeyRecord } from '../api-key-row';
import { checkedApiKey, checkedWebhookProvider, checkedWebhookSecret, instantText } from '../credential-rules';
import { StoreError } from '../store-error';
import { toWebhookSecretRecord, WEBHOOK_SECRET_COLUMNS, WebhookSecretRow } from '../webhook-secret-row';
import { NamedStatement, query, tableIn } from './postgres-statements';

function credentialStatements(schema: string | undefined) {
  const table = tableIn(schema);
  const tenants = table('tenants');
  const keys = table('api_keys');
  const secrets = table('webhook_secrets');
  const named = (name: string, text: string): NamedStatement => ({ name: `evidence-ledger/${name}`, text });
  return {
    createTenant: named('create-tenant', `INSERT INTO ${tenants} (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`),
    tenantExists: named('tenant-exists', `SELECT 1 FROM ${tenants} WHERE name = $1`),
    listTenants: named('list-tenants', `SELECT name, created_at FROM ${tenants} ORDER BY name COLLATE "C"`),
    insertKey: named('insert-api-key', `INSERT INTO ${keys} (${API_KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)`),
    findKey: named('find-api-key', `SELECT ${API_KEY_COLUMNS} FROM ${keys} WHERE id = $1`),
    listKeys: named('list-api-keys', `SELECT ${API_KEY_COLUMNS} FROM ${keys} WHERE tenant = $1 ORDER BY created_at, id COLLATE "C"`),
    revokeKey: named('revoke-api-key', `UPDATE ${keys} SET revoked_at = COALESCE(revoked_at, $3) WHERE tenant = $1 AND id = $2`),
    countKeys: named('count-api-keys', `SELECT count(*)::int AS n FROM ${keys}`),
    putSecret: named(
      'put-webhook-secret',
      `INSERT INTO ${secrets} (${WEBHOOK_SECRET_COLUMNS}) VALUES ($1, $2, $3, $4, $5) ` +
        'ON CONFLICT (tenant, provider) DO UPDATE SET secret = EXCLUDED.secret, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by',
    ),
    findSecret: named('find-webhook-secret', `SELECT ${WEBHOOK_SECRET_COLUMNS} FROM ${secrets} WHERE tenant = $1 AND provider = $2`),
    deleteSecret: named('delete-webhook-secret', `DELETE FROM ${secrets} WHERE tenant = $1 AND provider = $2`),
  };
}

/** Turns a driver failure into the port's error, saying what was being done. */
type Translate = (error: unknown, doing: string) => StoreError;

/** Tenants and API keys (tables of migration 2) and webhook secrets (migration 3) in the ledger's schema, over the store's pool. */
export class PostgresCredentialStore implements CredentialStore {
  private readonly sql: ReturnType<typeof credentialStatements>;

  constructor(
    private readonly pool: Pool,
    schema: string | undefined,
    private readonly translate: Translate,
  ) {
    this.sql = credentialStatements(schema);
  }

  async createTenant(name: string): Promise<boolean> {
    return (await this.run(this.sql.createTenant, [name], 'creating a tenant')).rowCount === 1;
  }

  async tenantExists(name: string): Promise<boolean> {
    return (await this.run(this.sql.tenantExists, [name], 'reading tenants')).rows.length === 1;
  }

  async listTenants(): Promise<TenantRecord[]> {
    const { rows } = await this.run<{ name: string; created_at: Date }>(this.sql.listTenants, [], 'listing tenants');
    return rows.map((r) => ({ name: r.name, createdAt: r.created_at.toISOString() }));
  }

  async insertApiKey(record: Omit<ApiKeyRecord, 'revokedAt'>): Promise<void> {
    const k = checkedApiKey(record);
    const values = [k.id, k.tenant, k.name, k.role, k.sourcePrefix ?? null, k.secretHash, k.createdAt, k.createdBy ?? null];
    try {
      await this.pool.query(query(this.sql.insertKey, values));
    } catch (e) {
      if ((e as { code?: unknown }).code === '23503') {
        throw new StoreError('NOT_FOUND', `no tenant ${JSON.stringify(k.tenant)} to hold API key ${k.id}`, {
          cause: e,
          details: { tenant: k.tenant },
        });
      }
      throw this.translate(e, `storing API key ${k.id}`);
    }
  }

  async findApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const [r] = (await this.run<ApiKeyRow>(this.sql.findKey, [id], 'reading an API key')).rows;
    return r && toApiKeyRecord(r);
  }

  async listApiKeys(tenant: string): Promise<ApiKeyRecord[]> {
    return (await this.run<ApiKeyRow>(this.sql.listKeys, [tenant], 'listing API keys')).rows.map(toApiKeyRecord);
  }

  async revokeApiKey(tenant: string, id: string, at: string): Promise<boolean> {
    const revokedAt = instantText(at, 'at');
    return (await this.run(this.sql.revokeKey, [tenant, id, revokedAt], `revoking API key ${id}`)).rowCount === 1;
  }

  async countApiKeys(): Promise<number> {
    return (await this.run<{ n: number }>(this.sql.countKeys, [], 'counting API keys')).rows[0].n;
  }

  async putWebhookSecret(record: WebhookSecretRecord): Promise<void> {
    const w = checkedWebhookSecret(record);
    try {
      await this.pool.query(query(this.sql.putSecret, [w.tenant, w.provider, w.secret, w.updatedAt, w.updatedBy ?? null]));
    } catch (e) {
      if ((e as { code?: unknown }).code === '23503') {
        throw new StoreError('NOT_FOUND', `no tenant ${JSON.stringify(w.tenant)} to hold a webhook secret`, {
          cause: e,
          details: { tenant: w.tenant },
        });
      }
      throw this.translate(e, `storing the ${w.provider} webhook secret`);
    }
  }

  async findWebhookSecret(tenant: string, provider: WebhookProvider): Promise<WebhookSecretRecord | undefined> {
    const [r] = (await this.run<WebhookSecretRow>(this.sql.findSecret, [tenant, provider], 'reading a webhook secret')).rows;
    return r && toWebhookSecretRecord(r);
  }

  async deleteWebhookSecret(tenant: string, provider: WebhookProvider): Promise<boolean> {
    checkedWebhookProvider(provider);
    return (await this.run(this.sql.deleteSecret, [tenant, provider], `removing the ${provider} webhook secret`)).rowCount === 1;
  }

  private async run<R extends QueryResultRow>(statement: NamedStatement, values: unknown[], doing: string) {
    try {
      return await this.pool.query<R>(query(statement, values));
    } catch (e) {
      throw this.translate(e, doing);
    }
  }
}
