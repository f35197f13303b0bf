import Database from 'better-sqlite3';
import { ApiKeyRecord, CredentialStore, Role, TenantRecord } from '../credential-store';
import { checkedApiKey, instantText } from '../credential-rules';
import { SerialQueue } from '../serial-queue';
import { StoreError } from '../store-error';
import { translateSqliteError } from './sqlite-errors';

interface ApiKeyRow {
  id: string;
  tenant: string;
  name: string;
  role: Role;
  source_prefix: string | null;
  secret_hash: Buffer;
  created_at: string;
  revoked_at: string | null;
  created_by: string | null;
}

const KEY_COLUMNS = 'id, tenant, name, role, source_prefix, secret_hash, created_at, revoked_at, created_by';

const toApiKey = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id,
  tenant: r.tenant,
  name: r.name,
  role: r.role,
  ...(r.source_prefix !== null && { sourcePrefix: r.source_prefix }),
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  ...(r.revoked_at !== null && { revokedAt: r.revoked_at }),
  ...(r.created_by !== null && { createdBy: r.created_by }),
});

/**
 * Tenants and API keys in the ledger's SQLite file (tables of migration 2). Writes take the
 * connection's queue: an append session may hold an open transaction on this connection, and
 * a statement run meanwhile would join it (and share its rollback).
 */
export class SqliteCredentialStore implements CredentialStore {
  constructor(
    private readonly db: Database.Database,
    private readonly writes: SerialQueue,
  ) {}

  async createTenant(name: string): Promise<boolean> {
    return this.write('creating a tenant', () => {
      const sql = 'INSERT INTO tenants (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING';
      return this.stmt(sql).run(name, new Date().toISOString()).changes === 1;
    });
  }

  async tenantExists(name: string): Promise<boolean> {
    return this.guard('reading tenants', () => this.stmt('SELECT 1 FROM tenants WHERE name = ?').get(name) !== undefined);
  }

  async listTenants(): Promise<TenantRecord[]> {
    const rows = this.guard(
      'listing tenants',
      () => this.stmt('SELECT name, created_at FROM tenants ORDER BY name').all() as { name: string; created_at: string }[],
    );
    return rows.map((r) => ({ name: r.name, createdAt: r.created_at }));
  }

  async insertApiKey(record: Omit<ApiKeyRecord, 'revokedAt'>): Promise<void> {
    const k = checkedApiKey(record);
    return this.write(`storing API key ${k.id}`, () => {
      try {
        this.stmt(`INSERT INTO api_keys (${KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`).run(
          k.id,
          k.tenant,
          k.name,
          k.role,
          k.sourcePrefix ?? null,
          k.secretHash,
          k.createdAt,
          k.createdBy ?? null,
        );
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
    const r = this.guard(
      'reading an API key',
      () => this.stmt(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = ?`).get(id) as ApiKeyRow | undefined,
    );
    return r && toApiKey(r);
  }

  async listApiKeys(tenant: string): Promise<ApiKeyRecord[]> {
    const sql = `SELECT ${KEY_COLUMNS} FROM api_keys WHERE tenant = ? ORDER BY created_at, id`;
    return this.guard('listing API keys', () => this.stmt(sql).all(tenant) as ApiKeyRow[]).map(toApiKey);
  }

  async revokeApiKey(tenant: string, id: string, at: string): Promise<boolean> {
    const revokedAt = instantText(at, 'at');
    return this.write(`revoking API key ${id}`, () => {
      const sql = 'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE tenant = ? AND id = ?';
      return this.stmt(sql).run(revokedAt, tenant, id).changes === 1;
    });
  }

  async countApiKeys(): Promise<number> {
    return this.guard('counting API keys', () => (this.stmt('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n);
  }

  private write<T>(doing: string, fn: () => T): Promise<T> {
    return this.writes.run(async () => this.guard(doing, fn));
  }

  // findApiKey runs on every authenticated request: parse each statement once.
  private readonly statements = new Map<string, Database.Statement>();
  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  private guard<T>(doing: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw translateSqliteError(e, doing);
    }
  }
}
