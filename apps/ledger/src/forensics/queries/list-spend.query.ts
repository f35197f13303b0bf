import { Query } from '@nestjs/cqrs';
import { ForensicsReader, Page, SpendView } from '@evidence-ledger/ledger';

export class ListSpendQuery extends Query<Page<SpendView>> {
  constructor(
    readonly tenant: string,
    readonly filter: Parameters<ForensicsReader['listSpend']>[1],
  ) {
    super();
  }
}
