import { Query } from '@nestjs/cqrs';
import { ConsistencyProof } from '@evidence-ledger/core';

/** RFC 9162 §2.1.4 proof that the tree of `to` leaves extends the tree of `from`. */
export class GetConsistencyProofQuery extends Query<ConsistencyProof> {
  constructor(
    readonly tenant: string,
    readonly from: number,
    readonly to?: number,
  ) {
    super();
  }
}
