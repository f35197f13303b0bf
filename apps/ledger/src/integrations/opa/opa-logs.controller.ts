import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal } from '../../auth/principal.decorator';
import { Principal } from '../../auth/principal';
import { Roles } from '../../auth/roles.decorator';
import type { RequestWithRawBody } from '../../http/body-reader.guard';
import { IngestReply, ingestReply, replyStatus } from '../ingest-reply';
import { CHANGE_ID_PATH_HEADER, parseChangeIdPath } from './change-id-path';
import { RecordDecisionLogsCommand } from './commands/record-decision-logs.command';
import { decodeDecisionLogBody, DECISION_LOG_LIMITS } from './decision-log-body';

// OPA's decision-log plugin posts to `<service url>/logs`: point a service at
// `https://<ledger>/v1/ingest/opa` with a producer key as its bearer token (docs/integrations.md).
@ApiTags('integrations')
@ApiBearerAuth()
@Controller('v1/ingest/opa')
export class OpaLogsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('logs')
  @HttpCode(201)
  @Roles('producer')
  @ApiOperation({
    summary: 'Record OPA decision logs',
    description: `OPA's decision-log upload (a JSON array, gzip or plain, at most ${DECISION_LOG_LIMITS.maxDecisions} decisions and ${DECISION_LOG_LIMITS.maxDecompressedBytes} bytes decompressed). Each allow/deny decision becomes one policy.decision.recorded event with digests of its input and result; its id derives from OPA's decision_id, so a re-upload is answered 200 with the receipts of the entries first written (with the latest checkpoint and proof). A decision that cannot be recorded (malformed, a repeated decision_id) is listed under ignored, with errors naming its fields, and never fails the others; 202 when no decision was recordable.`,
  })
  @ApiConsumes('application/json')
  @ApiHeader({ name: 'Content-Encoding', required: false, description: 'gzip (as OPA sends it) or absent' })
  @ApiHeader({
    name: CHANGE_ID_PATH_HEADER,
    required: false,
    description: 'dotted path in each input holding the change id, e.g. change.id',
  })
  @ApiBody({ schema: { type: 'array', items: { type: 'object' } } })
  @ApiResponse({ status: 201, description: '{receipts, ignored}: a receipt per recorded decision, and the decisions passed over with why' })
  async upload(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<IngestReply> {
    const decisions = await decodeDecisionLogBody((req as RequestWithRawBody).rawBody ?? Buffer.alloc(0), req.headers);
    const changeIdPath = parseChangeIdPath(req.headers[CHANGE_ID_PATH_HEADER]);
    const { appended, ignored } = await this.commands.execute(new RecordDecisionLogsCommand(principal, decisions, changeIdPath));
    res.status(replyStatus(appended));
    return ingestReply(appended, ignored);
  }
}
