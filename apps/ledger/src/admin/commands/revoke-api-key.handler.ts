import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LedgerError } from '@evidence-ledger/core';
import { ApiKeysService } from '../../auth/api-keys.service';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

// Revoking looks only inside the caller's tenant: another tenant's key id is "not found",
// exactly like an id that does not exist, so nothing leaks.
@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand, void> {
  constructor(private readonly keys: ApiKeysService) {}

  async execute({ principal, keyId }: RevokeApiKeyCommand): Promise<void> {
    if (!(await this.keys.revoke(principal.tenant, keyId))) throw new LedgerError('NOT_FOUND', `no API key ${keyId} in this tenant`);
  }
}
