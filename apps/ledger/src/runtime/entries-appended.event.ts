import { IEvent } from '@nestjs/cqrs';

/**
 * Published on the EventBus after a group commit of this process is durable: `events` entries
 * of `tenant`'s log were just committed (retries included). A reaction must be safe to miss —
 * handlers' errors go to the UnhandledExceptionBus, not to the producer — so only wake-ups
 * belong here (the projection host), never integrity work.
 */
export class EntriesAppendedEvent implements IEvent {
  constructor(
    readonly tenant: string,
    readonly events: number,
  ) {}
}
