import { createHash } from 'node:crypto';
import type { JSONEventData } from '@kurrent/kurrentdb-client';
import { Translate } from './entry-reader';
import { KurrentDbConnection } from './kurrentdb-connection';
import { isStreamNotFound } from './kurrentdb-errors';
import { isTenantName, StreamNames } from './stream-names';

/** The event type of a registry entry. */
export const TENANT_REGISTERED = 'ledger.tenant.registered';

/**
 * The tenants that have a log, as a stream of `ledger.tenant.registered` events (JSON
 * `{"tenant": …}`). KurrentDB cannot list streams by prefix without its `$streams` system
 * projection (off by default) or a scan of `$all`, so the adapter keeps this list itself.
 * A tenant is registered before its first entries are written: a crash in between leaves a
 * registered tenant with an empty log, never a log nobody can find. Registering twice is
 * harmless (readers de-duplicate).
 */
export class TenantRegistry {
  private readonly known = new Set<string>();

  constructor(
    private readonly connection: KurrentDbConnection,
    private readonly streams: StreamNames,
    private readonly translate: Translate,
  ) {}

  async register(tenant: string): Promise<void> {
    if (this.known.has(tenant)) return;
    const event: JSONEventData = {
      id: registrationId(this.streams.prefix, tenant),
      contentType: 'application/json',
      type: TENANT_REGISTERED,
      data: { tenant },
      metadata: undefined,
    };
    try {
      await this.connection.appendToStream(this.streams.tenantRegistry, [event], { streamState: 'any' });
    } catch (e) {
      throw this.translate(e, `registering tenant ${tenant}`);
    }
    this.known.add(tenant);
  }

  /** Every registered tenant, sorted; events that name no valid tenant are skipped. */
  async list(): Promise<string[]> {
    const tenants = new Set<string>();
    try {
      for await (const { event } of this.connection.readStream(this.streams.tenantRegistry, {
        direction: 'forwards',
        fromRevision: 'start',
      })) {
        const tenant = (event?.data as { tenant?: unknown } | undefined)?.tenant;
        if (event?.type === TENANT_REGISTERED && typeof tenant === 'string' && isTenantName(tenant)) {
          tenants.add(tenant);
        }
      }
    } catch (e) {
      if (!isStreamNotFound(e)) throw this.translate(e, 'listing tenants');
    }
    for (const t of tenants) this.known.add(t);
    return [...tenants].sort();
  }
}

// A fixed id per (deployment, tenant), so KurrentDB's own de-duplication of recent event ids
// usually keeps the registry to one event per tenant.
export function registrationId(prefix: string, tenant: string): string {
  const hex = createHash('sha256').update(`${prefix}/${tenant}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
