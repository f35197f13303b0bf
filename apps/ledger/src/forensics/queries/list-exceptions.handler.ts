import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Page } from '@evidence-ledger/ledger';
import { ExceptionDoc } from '@evidence-ledger/verify';
import { ForensicsRuntime } from '../forensics-runtime';
import { ListExceptionsQuery } from './list-exceptions.query';

@QueryHandler(ListExceptionsQuery)
export class ListExceptionsHandler implements IQueryHandler<ListExceptionsQuery, Page<ExceptionDoc>> {
  constructor(private readonly forensics: ForensicsRuntime) {}

  execute(q: ListExceptionsQuery): Promise<Page<ExceptionDoc>> {
    return this.forensics.reader.listExceptions(q.tenant, q.filter);
  }
}
