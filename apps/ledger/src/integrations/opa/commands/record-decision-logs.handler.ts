import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AppendEventsCommand } from '../../../ingest/commands/append-events.command';
import { mapDecisionLog } from '../policy-decision.mapper';
import { RecordDecisionLogsCommand, RecordedDecisions } from './record-decision-logs.command';

// Translate, then append through the same path as POST /v1/events: catalog validation, the
// key's source prefix, one all-or-nothing batch.
@CommandHandler(RecordDecisionLogsCommand)
export class RecordDecisionLogsHandler implements ICommandHandler<RecordDecisionLogsCommand, RecordedDecisions> {
  constructor(private readonly commands: CommandBus) {}

  async execute({ principal, decisions, changeIdPath }: RecordDecisionLogsCommand): Promise<RecordedDecisions> {
    const { events, ignored } = mapDecisionLog(decisions, { changeIdPath });
    const appended = events.length > 0 ? await this.commands.execute(new AppendEventsCommand(principal, events)) : [];
    return { appended, ignored };
  }
}
