import { LedgerError } from '../errors/ledger-error';

// Tenant names appear in checkpoint origins (c2sp.org/tlog-checkpoint: no spaces, no '+')
// and in paths; a conservative DNS-label shape keeps them safe everywhere.
export const TENANT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function assertTenantName(tenant: string): void {
  if (!TENANT_NAME.test(tenant)) {
    throw new LedgerError('INVALID_ENVELOPE', `"${tenant}" is not a tenant name (lowercase letters, digits and '-', at most 63)`, {
      tenant,
    });
  }
}
