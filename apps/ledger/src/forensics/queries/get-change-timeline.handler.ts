import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { TimelineView } from '@evidence-ledger/ledger';
import { ForensicsRuntime } from '../forensics-runtime';
import { GetChangeTimelineQuery } from './get-change-timeline.query';

@QueryHandler(GetChangeTimelineQuery)
export class GetChangeTimelineHandler implements IQueryHandler<GetChangeTimelineQuery, TimelineView> {
  constructor(private readonly forensics: ForensicsRuntime) {}

  execute(q: GetChangeTimelineQuery): Promise<TimelineView> {
    return this.forensics.reader.timeline(q.tenant, q.changeId, q.options);
  }
}
