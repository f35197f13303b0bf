import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ConsistencyProof } from '@evidence-ledger/core';
import { LedgerRuntime } from '../../runtime/ledger-runtime';
import { GetConsistencyProofQuery } from './get-consistency-proof.query';

@QueryHandler(GetConsistencyProofQuery)
export class GetConsistencyProofHandler implements IQueryHandler<GetConsistencyProofQuery, ConsistencyProof> {
  constructor(private readonly runtime: LedgerRuntime) {}

  execute({ tenant, from, to }: GetConsistencyProofQuery): Promise<ConsistencyProof> {
    return this.runtime.ledger.consistencyProof(tenant, from, to);
  }
}
