import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LedgerError } from '@evidence-ledger/core';
import { StoredEntry } from '@evidence-ledger/store';
import { LedgerRuntime } from '../../runtime/ledger-runtime';
import { GetEntryQuery } from './get-entry.query';

@QueryHandler(GetEntryQuery)
export class GetEntryHandler implements IQueryHandler<GetEntryQuery, StoredEntry> {
  constructor(private readonly runtime: LedgerRuntime) {}

  async execute({ tenant, sequence }: GetEntryQuery): Promise<StoredEntry> {
    const entry = await this.runtime.store.getEntry(tenant, sequence);
    if (!entry) throw new LedgerError('NOT_FOUND', `no entry ${sequence} in this tenant's log`);
    return entry;
  }
}
