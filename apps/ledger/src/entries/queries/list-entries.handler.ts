import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EntryPage } from '@evidence-ledger/store';
import { LedgerRuntime } from '../../runtime/ledger-runtime';
import { ListEntriesQuery } from './list-entries.query';

@QueryHandler(ListEntriesQuery)
export class ListEntriesHandler implements IQueryHandler<ListEntriesQuery, EntryPage> {
  constructor(private readonly runtime: LedgerRuntime) {}

  execute({ tenant, filter }: ListEntriesQuery): Promise<EntryPage> {
    return this.runtime.store.queryEntries(tenant, filter);
  }
}
