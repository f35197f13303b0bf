import { Command } from '@nestjs/cqrs';
import { PackRequest } from '@evidence-ledger/ledger';
import type { PackJob } from '../evidence-packs-runtime';

export class CreateEvidencePackCommand extends Command<PackJob> {
  constructor(readonly request: PackRequest) {
    super();
  }
}
