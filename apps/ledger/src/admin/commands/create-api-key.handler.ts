import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IssuedApiKey } from '@evidence-ledger/ledger';
import { ApiKeysService } from '../../auth/api-keys.service';
import { HttpProblem } from '../../http/http-problem';
import { CreateApiKeyCommand } from './create-api-key.command';

@CommandHandler(CreateApiKeyCommand)
export class CreateApiKeyHandler implements ICommandHandler<CreateApiKeyCommand, IssuedApiKey> {
  constructor(private readonly keys: ApiKeysService) {}

  execute({ principal, request }: CreateApiKeyCommand): Promise<IssuedApiKey> {
    if (request.sourcePrefix !== undefined && request.role !== 'producer') {
      throw new HttpProblem(400, 'INVALID_ENVELOPE', 'sourcePrefix applies to producer keys only', [
        { path: 'sourcePrefix', message: 'only for role "producer"' },
      ]);
    }
    return this.keys.issue({ ...request, tenant: principal.tenant, createdBy: principal.keyId });
  }
}
