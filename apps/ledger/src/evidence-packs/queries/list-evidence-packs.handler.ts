import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EvidencePacksRuntime, PackPage } from '../evidence-packs-runtime';
import { ListEvidencePacksQuery } from './list-evidence-packs.query';

@QueryHandler(ListEvidencePacksQuery)
export class ListEvidencePacksHandler implements IQueryHandler<ListEvidencePacksQuery, PackPage> {
  constructor(private readonly packs: EvidencePacksRuntime) {}

  execute(q: ListEvidencePacksQuery): Promise<PackPage> {
    return this.packs.list(q.tenant, q.filter);
  }
}
