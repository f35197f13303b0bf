import { Query } from '@nestjs/cqrs';
import type { PackJob } from '../evidence-packs-runtime';

export class GetEvidencePackQuery extends Query<PackJob | undefined> {
  constructor(
    readonly tenant: string,
    readonly id: string,
  ) {
    super();
  }
}
