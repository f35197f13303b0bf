import { LedgerError } from '@evidence-ledger/core';
import { ApiKeyRecord, CredentialStore, Role } from '@evidence-ledger/store';
import { digestApiKey, generateApiKey } from './api-key-secret';

export interface IssuedApiKey {
  readonly record: ApiKeyRecord;
  /** The secret itself: shown once, never stored. */
  readonly key: string;
}

export interface ApiKeyRequest {
  readonly tenant: string;
  readonly name: string;
  readonly role: Role;
  readonly sourcePrefix?: string;
  readonly createdBy?: string;
  /** A key chosen by the operator (bootstrap automation); generated when absent. */
  readonly key?: string;
}

// Creates an API key for a tenant and stores only its digest. Used by the service's key
// endpoints and by the CLI's `tenants create`.
export async function issueApiKey(store: CredentialStore, request: ApiKeyRequest, now = new Date()): Promise<IssuedApiKey> {
  if (!(await store.tenantExists(request.tenant))) throw new LedgerError('NOT_FOUND', `tenant ${request.tenant} does not exist`);
  const key = request.key ?? generateApiKey();
  const { id, secretHash } = digestApiKey(key);
  const record: ApiKeyRecord = {
    id,
    tenant: request.tenant,
    name: request.name,
    role: request.role,
    sourcePrefix: request.sourcePrefix,
    secretHash,
    createdAt: now.toISOString(),
    createdBy: request.createdBy,
  };
  await store.insertApiKey(record);
  return { record, key };
}
