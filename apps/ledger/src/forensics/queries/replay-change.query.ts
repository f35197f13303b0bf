import { Query } from '@nestjs/cqrs';
import { ReplayView } from '@evidence-ledger/ledger';
import { AsOf } from '@evidence-ledger/verify';

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
