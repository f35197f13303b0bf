import { createHash } from 'node:crypto';
import { ApiKeyRecord, CredentialStore, WebhookSecretRecord } from '../credential-store';
import { LedgerStore } from '../ledger-store';
import { RowFactory } from './entry-rows';
import { StoreUnderTest } from './ledger-store.contract';

type Store = LedgerStore & CredentialStore;

// A key as the admin API would create it; the secret itself only ever exists as its hash.
function apiKey(overrides: Partial<ApiKeyRecord> = {}): Omit<ApiKeyRecord, 'revokedAt'> {
  const id = overrides.id ?? 'key_producer_1';
  return {
    id,
    tenant: 'acme',
    name: 'agent gateway',
    role: 'producer',
    sourcePrefix: 'urn:gateway',
    secretHash: createHash('sha256').update(`secret of ${id}`).digest(),
    createdAt: '2026-11-21T09:30:00.000Z',
    createdBy: 'key_admin_0',
    ...overrides,
  };
}

// A tenant's GitHub webhook secret as the admin API would set it.
function webhookSecret(overrides: Partial<WebhookSecretRecord> = {}): WebhookSecretRecord {
  return {
    tenant: 'acme',
    provider: 'github',
    secret: 'gh-webhook-secret-0123456789abcdef0123456789',
    updatedAt: '2026-11-21T09:30:00.000Z',
    updatedBy: 'key_admin_0',
    ...overrides,
  };
}

// The tenants, API keys and webhook secrets every store must keep. Run it from each adapter's `*.int-spec.ts`
// against a real database.
export function describeCredentialStoreContract(name: string, open: () => Promise<StoreUnderTest<Store>>): void {
  describe(`${name} CredentialStore contract`, () => {
    let sut: StoreUnderTest<Store>;
    let store: Store;
    beforeEach(async () => {
      sut = await open();
      store = sut.store;
    });
    afterEach(async () => sut.cleanup());

    it('creates a tenant once and reports it as existing', async () => {
      expect(await store.tenantExists('acme')).toBe(false);
      expect(await store.createTenant('acme')).toBe(true);
      expect(await store.createTenant('acme')).toBe(false);
      expect(await store.tenantExists('acme')).toBe(true);
      expect(await store.tenantExists('ACME')).toBe(false);
    });

    it('lists registered tenants by name with their creation time', async () => {
      const before = Date.now();
      for (const t of ['globex', 'acme', 'initech']) await store.createTenant(t);
      const tenants = await store.listTenants();
      expect(tenants.map((t) => t.name)).toEqual(['acme', 'globex', 'initech']);
      for (const t of tenants) {
        expect(t.createdAt).toBe(new Date(t.createdAt).toISOString());
        expect(Date.parse(t.createdAt)).toBeGreaterThanOrEqual(before - 5_000);
        expect(Date.parse(t.createdAt)).toBeLessThanOrEqual(Date.now() + 5_000);
      }
    });

    it('counts a registered tenant without entries among the tenants of the ledger, once', async () => {
      const f = new RowFactory('globex');
      await store.withAppendSession('globex', (s) => s.append(f.rows(2), f.checkpoint(), f.head));
      await store.createTenant('initech');
      await store.createTenant('acme');
      await store.createTenant('globex');
      expect(await store.tenants()).toEqual(['acme', 'globex', 'initech']);
      expect((await store.head('initech')).treeSize).toBe(0);
    });

    it('stores a key and returns every field as it went in', async () => {
      await store.createTenant('acme');
      const key = apiKey();
      await store.insertApiKey(key);
      const found = await store.findApiKey(key.id);
      expect(found).toEqual({ ...key, secretHash: expect.any(Buffer) });
      expect(found?.secretHash.equals(key.secretHash)).toBe(true);
      expect(found?.revokedAt).toBeUndefined();
      expect(await store.findApiKey('key_missing')).toBeUndefined();
    });

    it('leaves optional fields absent rather than null, and stores times as UTC milliseconds', async () => {
      await store.createTenant('acme');
      await store.insertApiKey(apiKey({ sourcePrefix: undefined, createdBy: undefined, createdAt: '2026-11-21T11:30:00.123456+02:00' }));
      const found = await store.findApiKey('key_producer_1');
      expect(found).not.toHaveProperty('sourcePrefix');
      expect(found).not.toHaveProperty('createdBy');
      expect(found).not.toHaveProperty('revokedAt');
      expect(found?.createdAt).toBe('2026-11-21T09:30:00.123Z');
    });

    it('refuses a key for a tenant that is not registered, storing nothing', async () => {
      await expect(store.insertApiKey(apiKey({ tenant: 'nobody' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await store.countApiKeys()).toBe(0);
      expect(await store.findApiKey('key_producer_1')).toBeUndefined();
    });

    it('refuses a key id already taken, in any tenant, keeping the first key', async () => {
      await store.createTenant('acme');
      await store.createTenant('globex');
      await store.insertApiKey(apiKey());
      await expect(store.insertApiKey(apiKey({ name: 'second' }))).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
      await expect(store.insertApiKey(apiKey({ tenant: 'globex' }))).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
      expect((await store.findApiKey('key_producer_1'))?.name).toBe('agent gateway');
      expect(await store.countApiKeys()).toBe(1);
    });

    it.each<[string, Partial<ApiKeyRecord>]>([
      ['a role outside producer, auditor and admin', { role: 'root' as 'admin' }],
      ['a secret hash that is not 32 bytes', { secretHash: Buffer.alloc(31) }],
      ['a creation time that is not RFC 3339', { createdAt: 'today' }],
    ])('refuses %s before writing', async (_what, bad) => {
      await store.createTenant('acme');
      await expect(store.insertApiKey(apiKey(bad))).rejects.toThrow(RangeError);
      expect(await store.countApiKeys()).toBe(0);
    });

    it("lists one tenant's keys, oldest first, revoked ones included", async () => {
      await store.createTenant('acme');
      await store.createTenant('globex');
      await store.insertApiKey(apiKey({ id: 'key_b', createdAt: '2026-11-21T10:00:00.000Z', role: 'auditor' }));
      await store.insertApiKey(apiKey({ id: 'key_a', createdAt: '2026-11-21T11:00:00.000Z', role: 'admin' }));
      await store.insertApiKey(apiKey({ id: 'key_c', createdAt: '2026-11-21T09:00:00.000Z' }));
      await store.insertApiKey(apiKey({ id: 'key_g', tenant: 'globex' }));
      await store.revokeApiKey('acme', 'key_b', '2026-11-22T00:00:00.000Z');
      const keys = await store.listApiKeys('acme');
      expect(keys.map((k) => [k.id, k.role, k.revokedAt])).toEqual([
        ['key_c', 'producer', undefined],
        ['key_b', 'auditor', '2026-11-22T00:00:00.000Z'],
        ['key_a', 'admin', undefined],
      ]);
      expect((await store.listApiKeys('globex')).map((k) => k.id)).toEqual(['key_g']);
      expect(await store.listApiKeys('nobody')).toEqual([]);
    });

    it('revokes a key of its own tenant, keeping the first revocation time', async () => {
      await store.createTenant('acme');
      await store.insertApiKey(apiKey());
      expect(await store.revokeApiKey('acme', 'key_producer_1', '2026-11-22T08:00:00+01:00')).toBe(true);
      expect((await store.findApiKey('key_producer_1'))?.revokedAt).toBe('2026-11-22T07:00:00.000Z');
      expect(await store.revokeApiKey('acme', 'key_producer_1', '2026-12-01T00:00:00Z')).toBe(true);
      expect((await store.findApiKey('key_producer_1'))?.revokedAt).toBe('2026-11-22T07:00:00.000Z');
      expect(await store.revokeApiKey('acme', 'key_missing', '2026-12-01T00:00:00Z')).toBe(false);
    });

    it("cannot revoke another tenant's key, and changes nothing trying", async () => {
      await store.createTenant('acme');
      await store.createTenant('globex');
      await store.insertApiKey(apiKey());
      expect(await store.revokeApiKey('globex', 'key_producer_1', '2026-11-22T00:00:00Z')).toBe(false);
      expect(await store.findApiKey('key_producer_1')).not.toHaveProperty('revokedAt');
    });

    it('counts every key of every tenant, revoked ones included', async () => {
      expect(await store.countApiKeys()).toBe(0);
      await store.createTenant('acme');
      await store.createTenant('globex');
      await store.insertApiKey(apiKey({ id: 'key_1' }));
      await store.insertApiKey(apiKey({ id: 'key_2', tenant: 'globex' }));
      await store.revokeApiKey('acme', 'key_1', '2026-11-22T00:00:00Z');
      expect(await store.countApiKeys()).toBe(2);
    });

    it('shares tenants and keys with every connection to the same database', async () => {
      const other = await sut.reopen();
      await store.createTenant('acme');
      await other.insertApiKey(apiKey());
      expect(await other.createTenant('acme')).toBe(false);
      expect((await store.findApiKey('key_producer_1'))?.tenant).toBe('acme');
      expect(await other.revokeApiKey('acme', 'key_producer_1', '2026-11-22T00:00:00Z')).toBe(true);
      expect((await store.findApiKey('key_producer_1'))?.revokedAt).toBe('2026-11-22T00:00:00.000Z');
    });

    it('stores a webhook secret in plaintext and returns it as it went in', async () => {
      await store.createTenant('acme');
      expect(await store.findWebhookSecret('acme', 'github')).toBeUndefined();
      await store.putWebhookSecret(webhookSecret({ updatedAt: '2026-11-21T11:30:00.123456+02:00' }));
      expect(await store.findWebhookSecret('acme', 'github')).toEqual(webhookSecret({ updatedAt: '2026-11-21T09:30:00.123Z' }));
    });

    it('replaces a webhook secret on rotation, keeping one per tenant and provider', async () => {
      await store.createTenant('acme');
      await store.createTenant('globex');
      await store.putWebhookSecret(webhookSecret());
      await store.putWebhookSecret(webhookSecret({ tenant: 'globex', secret: 'globex-secret' }));
      await store.putWebhookSecret(webhookSecret({ secret: 'rotated', updatedAt: '2026-12-01T00:00:00Z', updatedBy: undefined }));
      const rotated = await store.findWebhookSecret('acme', 'github');
      expect(rotated).toEqual({ tenant: 'acme', provider: 'github', secret: 'rotated', updatedAt: '2026-12-01T00:00:00.000Z' });
      expect(rotated).not.toHaveProperty('updatedBy');
      expect((await store.findWebhookSecret('globex', 'github'))?.secret).toBe('globex-secret');
    });

    it('refuses a webhook secret for a tenant that is not registered, storing nothing', async () => {
      await expect(store.putWebhookSecret(webhookSecret({ tenant: 'nobody' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await store.findWebhookSecret('nobody', 'github')).toBeUndefined();
    });

    it.each<[string, Partial<WebhookSecretRecord>]>([
      ['an unknown provider', { provider: 'gitlab' as 'github' }],
      ['an empty secret', { secret: '' }],
      ['an update time that is not RFC 3339', { updatedAt: 'now' }],
    ])('refuses a webhook secret with %s before writing', async (_what, bad) => {
      await store.createTenant('acme');
      await expect(store.putWebhookSecret(webhookSecret(bad))).rejects.toThrow(RangeError);
      expect(await store.findWebhookSecret('acme', 'github')).toBeUndefined();
    });

    it("removes a tenant's webhook secret, and only that tenant's", async () => {
      await store.createTenant('acme');
      await store.createTenant('globex');
      await store.putWebhookSecret(webhookSecret());
      await store.putWebhookSecret(webhookSecret({ tenant: 'globex' }));
      expect(await store.deleteWebhookSecret('acme', 'github')).toBe(true);
      expect(await store.deleteWebhookSecret('acme', 'github')).toBe(false);
      expect(await store.findWebhookSecret('acme', 'github')).toBeUndefined();
      expect(await store.findWebhookSecret('globex', 'github')).toBeDefined();
    });

    it('shares webhook secrets with every connection to the same database', async () => {
      const other = await sut.reopen();
      await store.createTenant('acme');
      await other.putWebhookSecret(webhookSecret());
      expect((await store.findWebhookSecret('acme', 'github'))?.secret).toBe(webhookSecret().secret);
    });

    it('keeps a credential written while an append session that fails is open', async () => {
      let created: Promise<boolean> | undefined;
      const failing = store.withAppendSession('globex', async () => {
        created = store.createTenant('acme');
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('abandon');
      });
      await expect(failing).rejects.toThrow('abandon');
      expect(await created).toBe(true);
      expect(await store.tenantExists('acme')).toBe(true);
    });
  });
}
