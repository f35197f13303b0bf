import { Pool, QueryResultRow } from 'pg';
import { ApiKeyRecord, CredentialStore, TenantRecord } from '../credential-store';
import { API_KEY_COLUMNS, ApiKeyRow, toApiKeyRecord } from '../api-key-row';
import { checkedApiKey, instantText } from '../credential-rules';
import { StoreError } from '../store-error';
import { NamedStatement, query, tableIn } from './postgres-statements';

function credentialStatements(schema: string | undefined) {
  const table = tableIn(schema);
  const tenants = table('tenants');
  const keys = table('api_keys');
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
  };
}

/** Turns a driver failure into the port's error, saying what was being done. */
type Translate = (error: unknown, doing: string) => StoreError;

/** Tenants and API keys in the ledger's schema (tables of migration 2), over the store's pool. */
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

  private async run<R extends QueryResultRow>(statement: NamedStatement, values: unknown[], doing: string) {
    try {
      return await this.pool.query<R>(query(statement, values));
    } catch (e) {
      throw this.translate(e, doing);
    }
  }
}
