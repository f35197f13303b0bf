import { Query } from '@nestjs/cqrs';
import { ForensicsReader, ModelUsageView, Page } from '@evidence-ledger/ledger';

export class ListModelsQuery extends Query<Page<ModelUsageView>> {
  constructor(
    readonly tenant: string,
    readonly filter: Parameters<ForensicsReader['listModels']>[1],
  ) {
    super();
  }
}
