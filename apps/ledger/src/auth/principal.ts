import type { Role } from '@evidence-ledger/store';

export { ROLES } from '@evidence-ledger/store';
export type { Role };

/** Who is calling: resolved from the API key, never from the request body. */
export interface Principal {
  readonly keyId: string;
  readonly tenant: string;
  readonly role: Role;
  /** A producer key may be restricted to events whose `source` starts with this. */
  readonly sourcePrefix?: string;
}
