import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { LedgerError } from '@evidence-ledger/core';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { integerParam, stringParam, timeParam } from '../http/query-params';
import { LedgerRuntime } from '../runtime/ledger-runtime';
import { EntryView, toEntryView } from './entry-view';

@ApiTags('entries')
@ApiBearerAuth()
@Controller('v1/entries')
export class EntriesController {
  constructor(private readonly runtime: LedgerRuntime) {}

  @Get(':sequence')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'One entry, with its exact stored bytes' })
  async get(@CurrentPrincipal() p: Principal, @Param('sequence') sequence: string): Promise<EntryView> {
    const seq = integerParam(sequence, 'sequence', { required: true }) as number;
    const entry = await this.runtime.store.getEntry(p.tenant, seq);
    if (!entry) throw new LedgerError('NOT_FOUND', `no entry ${seq} in this tenant's log`);
    return toEntryView(entry);
  }

  @Get()
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Entries in sequence order, filtered, with cursor pagination (pass `next` as `after`)' })
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'source', required: false })
  @ApiQuery({ name: 'changeid', required: false })
  @ApiQuery({ name: 'actor', required: false, description: 'actor id' })
  @ApiQuery({ name: 'subject', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'recorded at or after (RFC 3339)' })
  @ApiQuery({ name: 'to', required: false, description: 'recorded before (RFC 3339)' })
  @ApiQuery({ name: 'after', required: false, type: Number, description: 'cursor: only sequences greater than this' })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1–1000, default 100' })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: Record<string, unknown>,
  ): Promise<{ entries: EntryView[]; next: number | null }> {
    const page = await this.runtime.store.queryEntries(p.tenant, {
      type: stringParam(q.type, 'type', 128),
      source: stringParam(q.source, 'source'),
      changeid: stringParam(q.changeid, 'changeid'),
      actorId: stringParam(q.actor, 'actor', 256),
      subject: stringParam(q.subject, 'subject'),
      recordedFrom: timeParam(q.from, 'from'),
      recordedTo: timeParam(q.to, 'to'),
      after: integerParam(q.after, 'after'),
      limit: integerParam(q.limit, 'limit', { min: 1, max: 1000 }) ?? 100,
    });
    return { entries: page.entries.map(toEntryView), next: page.next ?? null };
  }
}
