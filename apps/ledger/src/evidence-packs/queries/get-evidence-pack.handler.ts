import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EvidencePacksRuntime, PackJob } from '../evidence-packs-runtime';
import { GetEvidencePackQuery } from './get-evidence-pack.query';

@QueryHandler(GetEvidencePackQuery)
export class GetEvidencePackHandler implements IQueryHandler<GetEvidencePackQuery, PackJob | undefined> {
  constructor(private readonly packs: EvidencePacksRuntime) {}

  execute(q: GetEvidencePackQuery): Promise<PackJob | undefined> {
    return this.packs.find(q.tenant, q.id);
  }
}
