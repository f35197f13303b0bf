import { Query } from '@nestjs/cqrs';
import { EntryPage, EntryQuery } from '@evidence-ledger/store';

export class ListEntriesQuery extends Query<EntryPage> {
  constructor(
    readonly tenant: string,
    readonly filter: EntryQuery,
  ) {
    super();
  }
}
