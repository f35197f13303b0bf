import { Query } from '@nestjs/cqrs';
import { ApprovalDoc, ForensicsReader, Page } from '@evidence-ledger/ledger';

export class ListApprovalsQuery extends Query<Page<ApprovalDoc>> {
  constructor(
    readonly tenant: string,
    readonly filter: Parameters<ForensicsReader['listApprovals']>[1],
  ) {
    super();
  }
}
