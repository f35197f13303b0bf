import { Query } from '@nestjs/cqrs';
import { ForensicsReader, Page } from '@evidence-ledger/ledger';
import { ExceptionDoc } from '@evidence-ledger/verify';

export class ListExceptionsQuery extends Query<Page<ExceptionDoc>> {
  constructor(
    readonly tenant: string,
    readonly filter: Parameters<ForensicsReader['listExceptions']>[1],
  ) {
    super();
  }
}
