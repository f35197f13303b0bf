import { Command } from '@nestjs/cqrs';
import { AppendedEvent } from '@evidence-ledger/ledger';
import { Principal } from '../../../auth/principal';
import { IgnoredItem } from '../../ingest-reply';

export interface RecordedDecisions {
  readonly appended: AppendedEvent[];
  readonly ignored: IgnoredItem[];
}

/** One OPA decision-log upload, decoded: each recordable decision becomes a `policy.decision.recorded` event. */
export class RecordDecisionLogsCommand extends Command<RecordedDecisions> {
  constructor(
    readonly principal: Principal,
    readonly decisions: readonly unknown[],
    readonly changeIdPath?: readonly string[],
  ) {
    super();
  }
}
