import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Page, SpendView } from '@evidence-ledger/ledger';
import { ForensicsRuntime } from '../forensics-runtime';
import { ListSpendQuery } from './list-spend.query';

@QueryHandler(ListSpendQuery)
export class ListSpendHandler implements IQueryHandler<ListSpendQuery, Page<SpendView>> {
  constructor(private readonly forensics: ForensicsRuntime) {}

  execute(q: ListSpendQuery): Promise<Page<SpendView>> {
    return this.forensics.reader.listSpend(q.tenant, q.filter);
  }
}
