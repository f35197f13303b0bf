import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ChangeSummary, Page } from '@evidence-ledger/ledger';
import { ForensicsRuntime } from '../forensics-runtime';
import { ListChangesQuery } from './list-changes.query';

@QueryHandler(ListChangesQuery)
export class ListChangesHandler implements IQueryHandler<ListChangesQuery, Page<ChangeSummary>> {
  constructor(private readonly forensics: ForensicsRuntime) {}

  execute(q: ListChangesQuery): Promise<Page<ChangeSummary>> {
    return this.forensics.reader.listChanges(q.tenant, q.filter);
  }
}
