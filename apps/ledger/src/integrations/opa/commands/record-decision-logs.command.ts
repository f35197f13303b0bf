import { Command } from '@nestjs/cqrs';
import { AppendedEvent } from '@evidence-ledger/ledger';
import { Principal } from '../../../auth/principal';
import { IgnoredItem } from '../../ingest-reply';

export interface RecordedDecisions {
  readonly appended: AppendedEvent[];
  readonly ignored: IgnoredItem[];
}

/** One OPA decision-log upload, decoded: recorded all-or-nothing as `policy.decision.recorded` events. */
export class RecordDecisionLogsCommand extends Command<RecordedDecisions> {
  constructor(
    readonly principal: Principal,
    readonly decisions: readonly unknown[],
    readonly changeIdPath?: readonly string[],
  ) {
    super();
  }
}
