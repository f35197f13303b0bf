import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LedgerError } from '@evidence-ledger/core';
import { ApiKeysService } from '../../auth/api-keys.service';
import { HttpProblem } from '../../http/http-problem';
import { RevokeApiKeyCommand } from './revoke-api-key.command';

// Revoking looks only inside the caller's tenant: another tenant's key id is "not found",
// exactly like an id that does not exist, so nothing leaks. The tenant's last active admin key
// is not revoked over HTTP: that would lock the tenant out of its own administration (the way
// back is an operator's `keys break-glass`).
@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKeyCommand, void> {
  constructor(private readonly keys: ApiKeysService) {}

  async execute({ principal, keyId }: RevokeApiKeyCommand): Promise<void> {
    const keys = await this.keys.list(principal.tenant);
    const target = keys.find((k) => k.id === keyId);
    const activeAdmins = keys.filter((k) => k.role === 'admin' && !k.revokedAt);
    if (target?.role === 'admin' && !target.revokedAt && activeAdmins.length === 1) {
      throw new HttpProblem(
        409,
        'LAST_ADMIN_KEY',
        `${keyId} is the tenant's last active admin key; create another admin key before revoking it. Nothing was changed`,
      );
    }
    if (!(await this.keys.revoke(principal.tenant, keyId))) throw new LedgerError('NOT_FOUND', `no API key ${keyId} in this tenant`);
  }
}
