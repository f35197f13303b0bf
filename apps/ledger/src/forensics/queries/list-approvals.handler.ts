import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Page } from '@evidence-ledger/ledger';
import { ApprovalDoc } from '@evidence-ledger/verify';
import { ForensicsRuntime } from '../forensics-runtime';
import { ListApprovalsQuery } from './list-approvals.query';

@QueryHandler(ListApprovalsQuery)
export class ListApprovalsHandler implements IQueryHandler<ListApprovalsQuery, Page<ApprovalDoc>> {
  constructor(private readonly forensics: ForensicsRuntime) {}

  execute(q: ListApprovalsQuery): Promise<Page<ApprovalDoc>> {
    return this.forensics.reader.listApprovals(q.tenant, q.filter);
  }
}
