import { Query } from '@nestjs/cqrs';
import { InclusionProof } from '@evidence-ledger/core';
import { StoredCheckpoint } from '@evidence-ledger/store';

/** RFC 9162 §2.1.3 proof for one entry, against the latest checkpoint or a given tree size. */
export class GetInclusionProofQuery extends Query<{ proof: InclusionProof; checkpoint?: StoredCheckpoint }> {
  constructor(
    readonly tenant: string,
    readonly sequence: number,
    readonly treeSize?: number,
  ) {
    super();
  }
}
