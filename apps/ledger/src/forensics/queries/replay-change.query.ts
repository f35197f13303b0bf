import { Query } from '@nestjs/cqrs';
import { AsOf, ReplayView } from '@evidence-ledger/ledger';

export class ReplayChangeQuery extends Query<ReplayView> {
  constructor(
    readonly tenant: string,
    readonly changeId: string,
    readonly asOf: AsOf | undefined,
    readonly options: { proofs: boolean },
  ) {
    super();
  }
}
