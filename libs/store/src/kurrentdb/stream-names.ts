import { TENANT_NAME } from '@evidence-ledger/core';

/** The prefix of every stream the adapter writes, unless the location names another. */
export const DEFAULT_STREAM_PREFIX = 'ledger';

// Lowercase letters, digits and '_', starting with a letter: never '$' (KurrentDB reserves
// streams starting with it for system streams) and never '-' (KurrentDB's category projection
// splits a stream name at its first '-', so the prefix is exactly the category).
const STREAM_PREFIX = /^[a-z][a-z0-9_]{0,31}$/;

/** Whether `name` is a tenant name the ledger accepts. */
export function isTenantName(name: string): boolean {
  return TENANT_NAME.test(name);
}

/**
 * Where one ledger deployment keeps its data in KurrentDB (docs/kurrentdb.md):
 * - `<prefix>-<tenant>`: the tenant's log, one event per entry, stream revision = sequence;
 * - `<prefix>.tenants`: one event per tenant whose log was ever appended to.
 * A tenant name cannot contain '.', so no tenant's log can be the registry, and no name the
 * adapter builds can start with '$'.
 */
export class StreamNames {
  readonly tenantRegistry: string;

  constructor(readonly prefix: string = DEFAULT_STREAM_PREFIX) {
    if (!STREAM_PREFIX.test(prefix)) {
      throw new RangeError(`"${prefix}" is not a stream prefix (a lowercase letter, then up to 31 of a-z, 0-9 and '_')`);
    }
    this.tenantRegistry = `${prefix}.tenants`;
  }

  /** The tenant's log stream; RangeError for a name the ledger would never accept. */
  entries(tenant: string): string {
    if (!isTenantName(tenant)) {
      throw new RangeError(`"${tenant}" is not a tenant name (lowercase letters, digits and '-', at most 63)`);
    }
    return `${this.prefix}-${tenant}`;
  }
}
