import { issueApiKey } from '@evidence-ledger/ledger';
import { CredentialStore } from '@evidence-ledger/store';

export const DEFAULT_TENANT = 'default';

// On the very first start (no API key exists anywhere) the `default` tenant gets an admin
// key: the operator's own (LEDGER_BOOTSTRAP_ADMIN_KEY, for automation) or a generated one,
// printed once. Later starts change nothing.
export async function bootstrapAdminKey(store: CredentialStore, key?: string): Promise<{ key: string; generated: boolean } | undefined> {
  if ((await store.countApiKeys()) > 0) return undefined;
  await store.createTenant(DEFAULT_TENANT);
  const issued = await issueApiKey(store, { tenant: DEFAULT_TENANT, name: 'bootstrap admin', role: 'admin', key, createdBy: 'bootstrap' });
  return { key: issued.key, generated: key === undefined };
}
