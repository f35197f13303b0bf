import { Query } from '@nestjs/cqrs';
import { TimelineView } from '@evidence-ledger/ledger';

export class GetChangeTimelineQuery extends Query<TimelineView> {
  constructor(
    readonly tenant: string,
    readonly changeId: string,
    readonly options: { after?: number; limit: number; proofs: boolean },
  ) {
    super();
  }
}
