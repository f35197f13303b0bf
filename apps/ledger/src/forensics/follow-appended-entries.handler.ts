import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { EntriesAppendedEvent } from '../runtime/entries-appended.event';
import { ForensicsRuntime } from './forensics-runtime';

// The forensics tables follow this process's commits at once instead of a poll period later. Only
// a wake-up: a notification lost here is caught by the projection host's poll, which also
// brings in what other processes append.
@EventsHandler(EntriesAppendedEvent)
export class FollowAppendedEntriesHandler implements IEventHandler<EntriesAppendedEvent> {
  constructor(private readonly forensics: ForensicsRuntime) {}

  handle({ tenant }: EntriesAppendedEvent): void {
    this.forensics.notify(tenant);
  }
}
