import { Command } from '@nestjs/cqrs';
import { Principal } from '../../auth/principal';

export class RevokeApiKeyCommand extends Command<void> {
  constructor(
    readonly principal: Principal,
    readonly keyId: string,
  ) {
    super();
  }
}
