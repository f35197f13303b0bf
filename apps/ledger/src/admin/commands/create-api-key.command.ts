import { Command } from '@nestjs/cqrs';
import { IssuedApiKey } from '@evidence-ledger/ledger';
import { Principal } from '../../auth/principal';
import { CreateApiKeyDto } from '../dto/create-api-key.dto';

export class CreateApiKeyCommand extends Command<IssuedApiKey> {
  constructor(
    readonly principal: Principal,
    readonly request: CreateApiKeyDto,
  ) {
    super();
  }
}
