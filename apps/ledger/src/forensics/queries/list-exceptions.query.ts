import { Query } from '@nestjs/cqrs';
import { ExceptionDoc, ForensicsReader, Page } from '@evidence-ledger/ledger';

export class ListExceptionsQuery extends Query<Page<ExceptionDoc>> {
  constructor(
    readonly tenant: string,
    readonly filter: Parameters<ForensicsReader['listExceptions']>[1],
  ) {
    super();
  }
}
