import { Query } from '@nestjs/cqrs';
import { StoredEntry } from '@evidence-ledger/store';

export class GetEntryQuery extends Query<StoredEntry> {
  constructor(
    readonly tenant: string,
    readonly sequence: number,
  ) {
    super();
  }
}
