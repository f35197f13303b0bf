import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { envelopeViolations, LedgerError } from '@evidence-ledger/core';
import { AppendedEvent } from '@evidence-ledger/ledger';
import { validateEventData } from '../../../catalog/validate-event-data';
import { AppendEventsCommand } from '../../../ingest/commands/append-events.command';
import { IgnoredItem } from '../../ingest-reply';
import { MappedDecision, mapDecisionLog } from '../policy-decision.mapper';
import { RecordDecisionLogsCommand, RecordedDecisions } from './record-decision-logs.command';

// Translate, then append through the same path as POST /v1/events: catalog validation, the
// key's source prefix, one batch. OPA re-sends an upload that is not answered 2xx, forever,
// so a decision that cannot be recorded is set aside and listed, never allowed to fail the
// others: an event the catalog would refuse, and one whose id is already recorded with other
// content (a decision_id reused, or recorded by an older version of this adapter). What
// concerns the whole upload — a key outside its source prefix, an unavailable store — still
// fails it.
@CommandHandler(RecordDecisionLogsCommand)
export class RecordDecisionLogsHandler implements ICommandHandler<RecordDecisionLogsCommand, RecordedDecisions> {
  constructor(private readonly commands: CommandBus) {}

  async execute({ principal, decisions, changeIdPath }: RecordDecisionLogsCommand): Promise<RecordedDecisions> {
    const mapping = mapDecisionLog(decisions, { changeIdPath });
    const ignored: IgnoredItem[] = [...mapping.ignored];
    let pending: MappedDecision[] = [];
    for (const decision of mapping.decisions) {
      const errors = [...envelopeViolations(decision.event), ...validateEventData(decision.event.type, decision.event.data, 'data')];
      if (errors.length === 0) pending.push(decision);
      else ignored.push({ index: decision.index, reason: 'the event built from this decision is not valid; not recorded', errors });
    }
    let appended: AppendedEvent[] = [];
    while (pending.length > 0) {
      try {
        appended = await this.commands.execute(
          new AppendEventsCommand(
            principal,
            pending.map((d) => d.event),
          ),
        );
        break;
      } catch (e) {
        const conflicting =
          e instanceof LedgerError && e.code === 'ID_CONFLICT' ? pending.find((d) => d.event.id === e.details.id) : undefined;
        if (!conflicting) throw e;
        ignored.push({
          index: conflicting.index,
          reason: 'its decision_id is already recorded with different content; not recorded again',
        });
        pending = pending.filter((d) => d !== conflicting);
      }
    }
    return { appended, ignored: ignored.sort((a, b) => (a.index ?? 0) - (b.index ?? 0)) };
  }
}
