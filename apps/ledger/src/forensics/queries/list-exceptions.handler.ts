import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ExceptionDoc, Page } from '@evidence-ledger/ledger';
import { ForensicsRuntime } from '../forensics-runtime';
import { ListExceptionsQuery } from './list-exceptions.query';

@QueryHandler(ListExceptionsQuery)
export class ListExceptionsHandler implements IQueryHandler<ListExceptionsQuery, Page<ExceptionDoc>> {
  constructor(private readonly forensics: ForensicsRuntime) {}

  execute(q: ListExceptionsQuery): Promise<Page<ExceptionDoc>> {
    return this.forensics.reader.listExceptions(q.tenant, q.filter);
  }
}
