import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ModelUsageView, Page } from '@evidence-ledger/ledger';
import { ForensicsRuntime } from '../forensics-runtime';
import { ListModelsQuery } from './list-models.query';

@QueryHandler(ListModelsQuery)
export class ListModelsHandler implements IQueryHandler<ListModelsQuery, Page<ModelUsageView>> {
  constructor(private readonly forensics: ForensicsRuntime) {}

  execute(q: ListModelsQuery): Promise<Page<ModelUsageView>> {
    return this.forensics.reader.listModels(q.tenant, q.filter);
  }
}
