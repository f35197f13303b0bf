import { Query } from '@nestjs/cqrs';
import { StoredCheckpoint } from '@evidence-ledger/store';

/** The tenant's latest signed checkpoint. */
export class GetCheckpointQuery extends Query<StoredCheckpoint> {
  constructor(readonly tenant: string) {
    super();
  }
}
