import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReplayView } from '@evidence-ledger/ledger';
import { ForensicsRuntime } from '../forensics-runtime';
import { ReplayChangeQuery } from './replay-change.query';

@QueryHandler(ReplayChangeQuery)
export class ReplayChangeHandler implements IQueryHandler<ReplayChangeQuery, ReplayView> {
  constructor(private readonly forensics: ForensicsRuntime) {}

  execute(q: ReplayChangeQuery): Promise<ReplayView> {
    return this.forensics.reader.replay(q.tenant, q.changeId, q.asOf, q.options);
  }
}
