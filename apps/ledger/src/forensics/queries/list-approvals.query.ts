import { Query } from '@nestjs/cqrs';
import { ForensicsReader, Page } from '@evidence-ledger/ledger';
import { ApprovalDoc } from '@evidence-ledger/verify';

export class ListApprovalsQuery extends Query<Page<ApprovalDoc>> {
  constructor(
    readonly tenant: string,
    readonly filter: Parameters<ForensicsReader['listApprovals']>[1],
  ) {
    super();
  }
}
