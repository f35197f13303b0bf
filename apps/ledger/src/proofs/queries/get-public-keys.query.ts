import { Query } from '@nestjs/cqrs';

export interface PublicKeyView {
  readonly keyId: string;
  /** C2SP signed-note verifier key: `<name>+<key hash>+<base64 key>`. */
  readonly verifierKey: string;
  readonly publicKeyPem: string;
  readonly status: 'active' | 'retired';
}

/** Every key that signs, or ever signed, this ledger's checkpoints. */
export class GetPublicKeysQuery extends Query<{ origin: string; keys: PublicKeyView[] }> {
  constructor(readonly tenant: string) {
    super();
  }
}
