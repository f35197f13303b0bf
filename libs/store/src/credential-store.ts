/** What an API key may do: post events, read and export, or manage tenants and keys. */
export type Role = 'producer' | 'auditor' | 'admin';

export const ROLES: readonly Role[] = ['producer', 'auditor', 'admin'];

/**
 * A service credential. The secret itself is never stored, only its SHA-256; the key `id`
 * travels beside the secret so a request is one primary-key lookup and one hash compare.
 * Times are RFC 3339 UTC with milliseconds (`Date#toISOString()`), whatever form they went in.
 */
export interface ApiKeyRecord {
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  readonly role: Role;
  /** When set, the key may only post events whose `source` starts with this. */
  readonly sourcePrefix?: string;
  /** SHA-256 of the secret, 32 bytes. */
  readonly secretHash: Buffer;
  readonly createdAt: string;
  readonly revokedAt?: string;
  /** The key id (or operator) that created this key. */
  readonly createdBy?: string;
}

export interface TenantRecord {
  readonly name: string;
  readonly createdAt: string;
}

/** Services whose webhooks the ledger verifies with a per-tenant shared secret. */
export type WebhookProvider = 'github';

export const WEBHOOK_PROVIDERS: readonly WebhookProvider[] = ['github'];

/**
 * A tenant's shared secret for one webhook provider. Kept in plaintext, unlike API keys:
 * checking an HMAC signature (e.g. GitHub's `X-Hub-Signature-256`) needs the key itself, so a
 * digest would be useless. Times are RFC 3339 UTC with milliseconds.
 */
export interface WebhookSecretRecord {
  readonly tenant: string;
  readonly provider: WebhookProvider;
  readonly secret: string;
  /** When the secret was last set (or rotated). */
  readonly updatedAt: string;
  /** The key id (or operator) that set it. */
  readonly updatedBy?: string;
}

/**
 * The CredentialStore port: tenants, the API keys that act for them and their webhook secrets. Service state, not
 * part of any log — nothing here is hashed, chained or signed. Adapters share the database
 * (and migrations) of their LedgerStore and translate driver errors into `StoreError`s.
 */
export interface CredentialStore {
  /** Registers a tenant; false when it already existed (nothing changes then). */
  createTenant(name: string): Promise<boolean>;
  tenantExists(name: string): Promise<boolean>;
  /** Registered tenants by name. */
  listTenants(): Promise<TenantRecord[]>;
  /**
   * Stores a new key. NOT_FOUND when its tenant is not registered, STORE_CONFLICT when the id
   * is taken (in any tenant); RangeError for a role outside `ROLES`, a hash that is not 32
   * bytes or a time that is not RFC 3339.
   */
  insertApiKey(record: Omit<ApiKeyRecord, 'revokedAt'>): Promise<void>;
  findApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  /** The tenant's keys, revoked ones included, oldest first. */
  listApiKeys(tenant: string): Promise<ApiKeyRecord[]>;
  /**
   * Marks the tenant's key revoked at `at`; false if the tenant holds no such key (another
   * tenant's key is left untouched). Revoking again keeps the first revocation time.
   */
  revokeApiKey(tenant: string, id: string, at: string): Promise<boolean>;
  /** Every key ever stored, in all tenants, revoked ones included. */
  countApiKeys(): Promise<number>;
  /**
   * Sets (or replaces: a rotation) the tenant's secret for a webhook provider. NOT_FOUND when
   * the tenant is not registered; RangeError for an unknown provider, an empty secret or a
   * time that is not RFC 3339.
   */
  putWebhookSecret(record: WebhookSecretRecord): Promise<void>;
  findWebhookSecret(tenant: string, provider: WebhookProvider): Promise<WebhookSecretRecord | undefined>;
  /** Removes the tenant's secret for the provider; false when there was none. */
  deleteWebhookSecret(tenant: string, provider: WebhookProvider): Promise<boolean>;
}
