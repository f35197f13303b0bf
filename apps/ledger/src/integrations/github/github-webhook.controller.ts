import { Controller, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiConsumes, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../auth/roles.decorator';
import type { RequestWithRawBody } from '../../http/body-reader.guard';
import { IngestReply, ingestReply, replyStatus } from '../ingest-reply';
import { ReceiveGithubDeliveryCommand } from './commands/receive-github-delivery.command';
import { GITHUB_MAPPERS } from './github-delivery.mapper';

// GitHub cannot send a bearer key: the route is public to the API-key guard and each
// delivery is authenticated by its HMAC signature with the tenant's webhook secret.
@ApiTags('integrations')
@Controller('v1/ingest/github')
export class GithubWebhookController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Public()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record GitHub webhook deliveries',
    description: `Verified with X-Hub-Signature-256 against the webhook secret of the tenant named by ?tenant= (401 otherwise, nothing written). Records ${[...GITHUB_MAPPERS.keys()].join(', ')} as change.*, review.decision.recorded and deployment.completed events; the event id derives from X-GitHub-Delivery, so a redelivery is answered 200 with the receipt of the entry first written (with the latest checkpoint and proof). Other events and actions: 202, nothing written; ping: 200.`,
  })
  @ApiQuery({ name: 'tenant', required: true })
  @ApiHeader({ name: 'X-Hub-Signature-256', required: true })
  @ApiHeader({ name: 'X-GitHub-Event', required: true })
  @ApiHeader({ name: 'X-GitHub-Delivery', required: true })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiResponse({ status: 201, description: '{receipts, ignored}' })
  async receive(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query('tenant') tenant: unknown): Promise<IngestReply> {
    const body = (req as RequestWithRawBody).rawBody ?? Buffer.alloc(0);
    const received = await this.commands.execute(
      new ReceiveGithubDeliveryCommand(typeof tenant === 'string' ? tenant : undefined, req.headers, body),
    );
    res.status(received.ping ? 200 : replyStatus(received.appended));
    return ingestReply(received.appended, received.ignored);
  }
}
