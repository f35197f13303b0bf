import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LedgerRuntime } from '../../runtime/ledger-runtime';
import { GetPublicKeysQuery, PublicKeyView } from './get-public-keys.query';

@QueryHandler(GetPublicKeysQuery)
export class GetPublicKeysHandler implements IQueryHandler<GetPublicKeysQuery> {
  constructor(private readonly runtime: LedgerRuntime) {}

  async execute({ tenant }: GetPublicKeysQuery): Promise<{ origin: string; keys: PublicKeyView[] }> {
    const { signer, retiredKeys, ledger } = this.runtime;
    const active: PublicKeyView = {
      keyId: signer.keyId,
      verifierKey: signer.verifierKey(),
      publicKeyPem: signer.publicKeyPem(),
      status: 'active',
    };
    return { origin: ledger.origin(tenant), keys: [active, ...retiredKeys.map((k) => ({ ...k, status: 'retired' as const }))] };
  }
}
