import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventEnvelope, FieldViolation, InvalidEventError, parseEventBatch } from '@evidence-ledger/core';
import { AppendedEvent } from '@evidence-ledger/ledger';
import { validateEventData } from '../../catalog/validate-event-data';
import { HttpProblem } from '../../http/http-problem';
import { MetricsRegistry } from '../../metrics/metrics.registry';
import { LedgerRuntime } from '../../runtime/ledger-runtime';
import { AppendEventsCommand } from './append-events.command';
import { authorizeEventRoles } from '../governance-role';

// Load → decide → append: the envelope floor (core), the typed catalog (edge), the key's
// source restriction and role (governance settings), then the framework-free append path.
// Any violation rejects the batch.
@CommandHandler(AppendEventsCommand)
export class AppendEventsHandler implements ICommandHandler<AppendEventsCommand, AppendedEvent[]> {
  constructor(
    private readonly runtime: LedgerRuntime,
    private readonly metrics: MetricsRegistry,
  ) {}

  async execute({ principal, events }: AppendEventsCommand): Promise<AppendedEvent[]> {
    const envelopes = parseEventBatch(events);
    const at = (i: number) => (Array.isArray(events) ? `[${i}]` : '');
    const violations: FieldViolation[] = envelopes.flatMap((e, i) => validateEventData(e.type, e.data, `${at(i)}${at(i) ? '.' : ''}data`));
    if (violations.length > 0) throw new InvalidEventError('the batch contains invalid events; nothing was written', violations);
    this.assertSources(envelopes, principal.sourcePrefix, at);
    const authorized = authorizeEventRoles(envelopes, principal, at);
    const appended = await this.runtime.ledger.appendEnvelopes(principal.tenant, principal.keyId, authorized);
    const duplicates = appended.filter((a) => a.duplicate).length;
    this.metrics.eventsAppended.inc(appended.length - duplicates);
    if (duplicates) this.metrics.eventsDuplicate.inc(duplicates);
    return appended;
  }

  private assertSources(envelopes: readonly EventEnvelope[], prefix: string | undefined, at: (i: number) => string): void {
    if (!prefix) return;
    const outside = envelopes
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => !e.source.startsWith(prefix))
      .map(({ i }) => ({ path: `${at(i)}${at(i) ? '.' : ''}source`, message: `must start with "${prefix}" for this API key` }));
    if (outside.length > 0)
      throw new HttpProblem(
        403,
        'SOURCE_NOT_ALLOWED',
        'this API key may only record events from its own source; nothing was written',
        outside,
      );
  }
}
