import { LedgerRuntime } from '../runtime/ledger-runtime';

export interface PublicKeyView {
  readonly keyId: string;
  /** C2SP signed-note verifier key: `<name>+<key hash>+<base64 key>`. */
  readonly verifierKey: string;
  readonly publicKeyPem: string;
  readonly status: 'active' | 'retired';
}

/** Every key that signs, or ever signed, this ledger's checkpoints, with the tenant's origin. */
export function publicKeysOf(runtime: LedgerRuntime, tenant: string): { origin: string; keys: PublicKeyView[] } {
  const { signer, retiredKeys, ledger } = runtime;
  const active: PublicKeyView = {
    keyId: signer.keyId,
    verifierKey: signer.verifierKey(),
    publicKeyPem: signer.publicKeyPem(),
    status: 'active',
  };
  return { origin: ledger.origin(tenant), keys: [active, ...retiredKeys.map((k) => ({ ...k, status: 'retired' as const }))] };
}
