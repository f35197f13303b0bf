import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InclusionProof } from '@evidence-ledger/core';
import { StoredCheckpoint } from '@evidence-ledger/store';
import { LedgerRuntime } from '../../runtime/ledger-runtime';
import { GetInclusionProofQuery } from './get-inclusion-proof.query';

@QueryHandler(GetInclusionProofQuery)
export class GetInclusionProofHandler implements IQueryHandler<GetInclusionProofQuery> {
  constructor(private readonly runtime: LedgerRuntime) {}

  execute({ tenant, sequence, treeSize }: GetInclusionProofQuery): Promise<{ proof: InclusionProof; checkpoint?: StoredCheckpoint }> {
    return this.runtime.ledger.inclusionProof(tenant, sequence, treeSize);
  }
}
