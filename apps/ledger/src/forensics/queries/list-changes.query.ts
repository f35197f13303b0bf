import { Query } from '@nestjs/cqrs';
import { ChangeFilter, ChangeSummary, Page } from '@evidence-ledger/ledger';

export class ListChangesQuery extends Query<Page<ChangeSummary>> {
  constructor(
    readonly tenant: string,
    readonly filter: ChangeFilter,
  ) {
    super();
  }
}
