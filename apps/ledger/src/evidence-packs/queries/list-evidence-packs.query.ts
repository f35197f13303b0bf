import { Query } from '@nestjs/cqrs';
import { PackJobQuery } from '@evidence-ledger/store';
import type { PackPage } from '../evidence-packs-runtime';

export class ListEvidencePacksQuery extends Query<PackPage> {
  constructor(
    readonly tenant: string,
    readonly filter: PackJobQuery,
  ) {
    super();
  }
}
