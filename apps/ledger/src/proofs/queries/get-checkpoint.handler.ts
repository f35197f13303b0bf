import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { LedgerError } from '@evidence-ledger/core';
import { StoredCheckpoint } from '@evidence-ledger/store';
import { LedgerRuntime } from '../../runtime/ledger-runtime';
import { GetCheckpointQuery } from './get-checkpoint.query';

@QueryHandler(GetCheckpointQuery)
export class GetCheckpointHandler implements IQueryHandler<GetCheckpointQuery, StoredCheckpoint> {
  constructor(private readonly runtime: LedgerRuntime) {}

  async execute({ tenant }: GetCheckpointQuery): Promise<StoredCheckpoint> {
    const checkpoint = await this.runtime.ledger.latestCheckpoint(tenant);
    if (!checkpoint) throw new LedgerError('NOT_FOUND', 'this tenant has no entries yet, so no checkpoint');
    return checkpoint;
  }
}
