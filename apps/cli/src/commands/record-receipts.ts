import { parseVerifierKey, TrustedNoteKey } from '@evidence-ledger/core';
import { readVerifiers } from '@evidence-ledger/signing';
import { ApiTarget, callLedger } from '../ledger-api-client';

// Checking a receipt against the posted event is the offline verifier's.
export { checkReceipts, ReceiptCheck } from '@evidence-ledger/verify';

// The ledger's keys: from --public-key (pinned), else as the service publishes them — which
// proves the receipt consistent with the service, not the service honest.
export async function trustedKeys(target: ApiTarget, publicKeyFile: string | undefined): Promise<TrustedNoteKey[]> {
  if (publicKeyFile) return readVerifiers(publicKeyFile);
  const { keys } = await callLedger<{ keys: { verifierKey: string }[] }>(target, 'GET', 'v1/public-keys');
  return keys.map((k) => parseVerifierKey(k.verifierKey));
}
