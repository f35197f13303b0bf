import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EvidencePacksRuntime, PackJob } from '../evidence-packs-runtime';
import { CreateEvidencePackCommand } from './create-evidence-pack.command';

@CommandHandler(CreateEvidencePackCommand)
export class CreateEvidencePackHandler implements ICommandHandler<CreateEvidencePackCommand, PackJob> {
  constructor(private readonly packs: EvidencePacksRuntime) {}

  async execute({ request }: CreateEvidencePackCommand): Promise<PackJob> {
    return this.packs.submit(request);
  }
}
