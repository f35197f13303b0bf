import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Receipt } from '@evidence-ledger/core';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { AppendEventsCommand } from './commands/append-events.command';
import { decodeIngestRequest } from './cloudevents-request';
import { ReceiptDto } from './dto/receipt.dto';
import type { RequestWithRawBody } from '../http/body-reader.guard';
import { EVENT_ENVELOPE_REF } from '../http/openapi';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Roles('producer', 'admin')
  @ApiOperation({
    summary: 'Record events',
    description:
      'Accepts one event or an array (application/json), a structured CloudEvent, a CloudEvents batch, or CloudEvents binary mode. Returns a receipt per event once it is durably committed: 201 if anything was written, 200 when every event was a retry (its original receipt). Producer keys record every event except x.governance.settings.updated and exception.response.recorded, which need an admin key (and are all an admin key records): 403 GOVERNANCE_ROLE_REQUIRED otherwise.',
  })
  @ApiConsumes('application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json')
  @ApiBody({ schema: { oneOf: [{ $ref: EVENT_ENVELOPE_REF }, { type: 'array', items: { $ref: EVENT_ENVELOPE_REF } }] } })
  @ApiResponse({ status: 201, type: ReceiptDto, description: 'receipt (or an array of receipts for a batch)' })
  async record(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Receipt | Receipt[]> {
    const raw = (req as RequestWithRawBody).rawBody ?? Buffer.alloc(0);
    const { body, mode } = decodeIngestRequest(raw, (req as AuthenticatedRequest).headers);
    const appended = await this.commands.execute(new AppendEventsCommand(principal, body));
    if (appended.every((a) => a.duplicate)) res.status(200);
    const receipts = appended.map((a) => a.receipt);
    if (!Array.isArray(body) && mode !== 'batch') {
      res.setHeader('Location', `/v1/entries/${receipts[0].sequence}`);
      return receipts[0];
    }
    return receipts;
  }
}
