import { Command } from '@nestjs/cqrs';
import { AppendedEvent } from '@evidence-ledger/ledger';
import { Principal } from '../../auth/principal';

/** One producer request: its events (one or an array, decoded JSON), appended all-or-nothing. */
export class AppendEventsCommand extends Command<AppendedEvent[]> {
  constructor(
    readonly principal: Principal,
    readonly events: unknown,
  ) {
    super();
  }
}
